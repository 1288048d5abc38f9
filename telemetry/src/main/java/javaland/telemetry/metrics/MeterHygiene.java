package javaland.telemetry.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.Map;

/**
 * Filters that make the third-party meters in the scrape (Micrometer's JVM and process binders,
 * vertx-micrometer-metrics) pass {@code promtool check metrics} and read well on dashboards.
 * Applied to each registry before anything is bound to it.
 *
 * <ul>
 *   <li>{@code process.cpu.time} (nanoseconds, scraped as {@code process_cpu_time_ns_total}) is
 *       dropped: an abbreviated unit, and {@code process_cpu_usage} says the same.
 *   <li>{@code netty.eventexecutor.workers} is dropped: each Netty event-loop group registers it
 *       under the same id, and Micrometer warned at every start about the second.
 *   <li>{@code system.cpu.count} becomes {@code system.cpus.available}: a gauge must not end in
 *       {@code _count} (it would read as a summary's).
 *   <li>Netty's meters, which come without a description, get one.
 *   <li>Vert.x's HTTP server response time gets the {@link LatencyBounds} buckets, so that
 *       {@code histogram_quantile} works on the control plane too.
 * </ul>
 */
public final class MeterHygiene {
  private static final Map<String, String> DESCRIPTIONS = Map.of(
      "netty.allocator.memory.pinned", "Memory pinned by Netty's buffer allocator (Vert.x's I/O buffers)",
      "netty.allocator.memory.used", "Memory used by Netty's buffer allocator (Vert.x's I/O buffers)",
      "netty.allocator.pooled.arenas", "Arenas of Netty's pooled buffer allocator",
      "netty.allocator.pooled.cache.size", "Cache size of Netty's pooled buffer allocator",
      "netty.allocator.pooled.chunk.size", "Chunk size of Netty's pooled buffer allocator",
      "netty.allocator.pooled.threadlocal.caches", "Thread-local caches of Netty's pooled buffer allocator",
      "netty.eventexecutor.tasks.pending", "Tasks waiting in a Netty event executor's queue (Vert.x's event loops)");

  private MeterHygiene() {}

  public static void apply(MeterRegistry registry) {
    double[] slos = new double[LatencyBounds.defaultNs().length];
    long[] b = LatencyBounds.defaultNs();
    for (int i = 0; i < b.length; i++) slos[i] = b[i];
    registry.config()
        .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
        // Registered once per Netty event-loop group (Vert.x has two) under the same untagged id:
        // the second registration was dropped anyway, with a WARNING at every start.
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("netty.eventexecutor.workers")))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            String name = id.getName();
            if (name.equals("system.cpu.count")) {
              return new Meter.Id("system.cpus.available", Tags.of(id.getTagsAsIterable()),
                  id.getBaseUnit(), id.getDescription(), id.getType());
            }
            if (id.getDescription() == null || id.getDescription().isBlank()) {
              String d = DESCRIPTIONS.getOrDefault(name, name.startsWith("netty.") ? "Netty meter " + name : null);
              if (d != null) {
                return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                    d, id.getType());
              }
            }
            return id;
          }

          @Override
          public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (id.getName().equals("vertx.http.server.response.time")) {
              return DistributionStatisticConfig.builder().serviceLevelObjectives(slos).build().merge(config);
            }
            return config;
          }
        });
  }
}
