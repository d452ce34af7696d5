package org.pdm.ingest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pdm.ingest.write.Outcome;

/**
 * What a download task (or a whole run, once merged) did: items by outcome, bytes stored, and a
 * few example details per reason (capped, as img2dataset's error histogram).
 */
public final class TaskReport implements Serializable {
  static final String STORED = "stored";
  private static final int SAMPLES = 3;

  final Map<String, Long> outcomes = new TreeMap<>();
  final Map<String, List<String>> samples = new TreeMap<>();
  long bytesStored;
  long items;

  void add(Outcome o) {
    items++;
    if (o.isStored()) {
      outcomes.merge(STORED, 1L, Long::sum);
      bytesStored += o.image().length;
    } else {
      outcomes.merge(o.reason(), 1L, Long::sum);
      List<String> s = samples.computeIfAbsent(o.reason(), k -> new ArrayList<>());
      if (s.size() < SAMPLES) {
        s.add(o.item().id() + ": " + o.detail());
      }
    }
  }

  TaskReport merge(TaskReport other) {
    other.outcomes.forEach((k, v) -> outcomes.merge(k, v, Long::sum));
    other.samples.forEach((k, v) -> {
      List<String> s = samples.computeIfAbsent(k, x -> new ArrayList<>());
      for (String line : v) {
        if (s.size() < SAMPLES) {
          s.add(line);
        }
      }
    });
    bytesStored += other.bytesStored;
    items += other.items;
    return this;
  }
}
