package javaland.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** "30s", "5m", "1h", "250ms" or plain seconds. */
final class DurationConverter implements ITypeConverter<Duration> {
  // Double.parseDouble alone took "5d" (a Java double literal) as 5 seconds and "1e20s" as the
  // largest long of milliseconds; the sign stays so that the commands can say a duration must be positive.
  private static final Pattern FORM = Pattern.compile("(-?(?:\\d+(?:\\.\\d*)?|\\.\\d+))(ms|s|m|h)?");

  @Override
  public Duration convert(String s) {
    Matcher m = FORM.matcher(s.trim().toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) throw new TypeConversionException("'" + s + "' is not a duration (examples: 30s, 5m, 1h, 250ms)");
    long unitMs = switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> 1;
      case "s" -> 1000;
      case "m" -> 60_000;
      default -> 3_600_000;
    };
    BigDecimal ms = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitMs)).setScale(0, RoundingMode.HALF_UP);
    try {
      return Duration.ofMillis(ms.longValueExact());
    } catch (ArithmeticException tooLong) {
      throw new TypeConversionException("'" + s + "' is too long a duration (at most " + Long.MAX_VALUE + "ms)");
    }
  }
}
