package org.pdm.train.loop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss terms of one optimizer step, as host numbers for metrics.jsonl. Replicas add theirs from
 * their own threads, each value already weighted by its shard's share of the batch; the sums are
 * taken in replica order, so the logged values do not depend on thread timing.
 */
public final class StepTerms {
  private final List<Map<String, Double>> byReplica = new ArrayList<>();

  /** Adds {@code value} to term {@code name} of {@code replica}. */
  public synchronized void add(int replica, String name, double value) {
    while (byReplica.size() <= replica) {
      byReplica.add(new LinkedHashMap<>());
    }
    byReplica.get(replica).merge(name, value, Double::sum);
  }

  /** Each term summed over the replicas (and micro-batches), first-seen order. */
  public synchronized Map<String, Double> sums() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map<String, Double> r : byReplica) {
      r.forEach((k, v) -> out.merge(k, v, Double::sum));
    }
    return out;
  }
}
