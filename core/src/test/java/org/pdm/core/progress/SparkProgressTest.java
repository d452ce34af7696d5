package org.pdm.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.spark.SparkSessions;

/** Progress counts the rows of a task that is still running, not only those of ended tasks. */
class SparkProgressTest {
  /** Holds the task after its first rows (local mode: the task runs in this JVM). */
  static final CountDownLatch RELEASE = new CountDownLatch(1);

  @Test
  void countsRowsOfARunningTask() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate(PdmConfig.defaults().with("spark.master=\"local[2]\""), "test");
    try {
      countRowsOfARunningTask(spark);
    } finally {
      spark.stop(); // the next test class builds its session with its own settings
    }
  }

  private static void countRowsOfARunningTask(SparkSession spark) throws Exception {
    LongAccumulator rows = spark.sparkContext().longAccumulator("test rows");
    try (SparkProgress p = SparkProgress.start(spark, "test", 5, rows, Duration.ofSeconds(1), false)) {
      Thread job = new Thread(() -> JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(List.of(1, 2, 3, 4, 5), 1).foreach(i -> {
            rows.add(1);
            if (i == 3) {
              RELEASE.await(60, TimeUnit.SECONDS);
            }
          }));
      job.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (p.done() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      long whileRunning = p.done();
      boolean stillRunning = job.isAlive();
      RELEASE.countDown();
      job.join();
      assertTrue(stillRunning, "the task was still running");
      assertEquals(3, whileRunning, "rows of the running task, from its heartbeats");
      assertEquals(0, rows.value() - 5);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (p.done() < 5 && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertEquals(5, p.done());
    }
  }
}
