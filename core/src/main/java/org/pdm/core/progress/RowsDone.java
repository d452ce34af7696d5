package org.pdm.core.progress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.collection.Iterable;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Rows done so far by the tasks that add to one accumulator, running tasks included. The driver's
 * accumulator only grows when a task ends, so a few long tasks would show 0 for minutes; the values
 * of running tasks come with the executors' heartbeats ({@code spark.executor.heartbeatInterval}),
 * and are counted here until their task ends.
 */
final class RowsDone extends SparkListener {
  private final LongAccumulator rows;
  private final Map<Long, Long> running = new ConcurrentHashMap<>();
  private volatile long finished;

  RowsDone(LongAccumulator rows) {
    this.rows = rows;
  }

  /** Rows of ended tasks plus the last heartbeat's rows of running ones; never below the accumulator. */
  long value() {
    long inFlight = running.values().stream().mapToLong(Long::longValue).sum();
    return Math.max(rows.value(), finished + inFlight);
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task : CollectionConverters.asJava(update.accumUpdates())) {
      Long v = ours(task._4());
      if (v != null) {
        running.merge((Long) task._1(), v, Math::max);
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    Long v = running.remove(end.taskInfo().taskId());
    Long last = ours(end.taskInfo().accumulables());
    if (end.reason() == Success$.MODULE$ && (last != null || v != null)) {
      synchronized (this) {
        finished += last != null ? last : v;
      }
    }
  }

  /** This accumulator's value in a task's updates, or null when they do not have it. */
  private Long ours(Iterable<AccumulableInfo> infos) {
    for (AccumulableInfo i : CollectionConverters.asJava(infos)) {
      if (i.id() == rows.id() && i.update().isDefined() && i.update().get() instanceof Long n) {
        return n;
      }
    }
    return null;
  }
}
