package javaland.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javaland.runtime.policy.PolicyCatalog;
import picocli.CommandLine.Option;

/** {@code --policy-jar FILE}: policies from jars beside the shipped ones (docs/write-your-own-scheduler.md). */
final class PolicyJars {
  @Option(names = "--policy-jar", paramLabel = "FILE",
      description = "A jar of policies (listed in its META-INF/services/javaland.sdk.Policy) to run beside the shipped"
          + " ones; repeat for more. See docs/write-your-own-scheduler.md.")
  List<Path> jars = new ArrayList<>();

  /** Makes the jars' policies this process's; a bad jar is an error naming it. */
  void install() {
    if (!jars.isEmpty()) PolicyCatalog.install(jars);
  }
}
