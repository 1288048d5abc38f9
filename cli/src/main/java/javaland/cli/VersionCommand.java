package javaland.cli;

import javaland.runtime.kernel.bpf.BpfKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "version", description = "Print the version and what this machine offers.")
final class VersionCommand implements Runnable {
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"javaland " + version()};
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public void run() {
    System.out.println("javaland " + version());
    System.out.println("java " + Runtime.version());
    System.out.println("sched_ext: " + (BpfKernel.available() ? "present, state " + BpfKernel.state() : "absent on this kernel"));
  }
}
