package javaland.learner.classes;

/**
 * The thresholds of {@link ClassProposer}. Defaults: a process is latency-critical when it wakes
 * at least {@code minWakeupsPerS} times a second, runs at most {@code latencyRunUs} per wakeup,
 * ends at most {@code latencyInvoluntary} of its bursts still runnable and uses less than
 * {@code latencyMaxShare} of a CPU; interactive when it wakes as often but runs up to
 * {@code interactiveRunUs} per wakeup with at most {@code interactiveInvoluntary} involuntary
 * ends; batch when it uses at least {@code batchMinShare} of a CPU, runs at least
 * {@code batchRunUs} per wakeup (or never wakes) and most of its bursts end involuntarily
 * ({@code batchInvoluntary}); such a process niced below weight 100 is background. Anything else
 * gets no proposal: too little evidence, or no clear kind.
 */
public record ClassifierConfig(double minWakeupsPerS, double latencyRunUs, double latencyInvoluntary,
    double latencyMaxShare, double interactiveRunUs, double interactiveInvoluntary, double batchMinShare,
    double batchRunUs, double batchInvoluntary, double minWindowS) {
  public static final ClassifierConfig DEFAULT = new ClassifierConfig(20, 1000, 0.2, 0.5, 10_000, 0.5, 0.2, 5000, 0.5, 0.5);
}
