package org.pdm.train;

import picocli.CommandLine;

/** A training JVM for the tests that kill or signal one: {@code pdm train ...} without the rest of the CLI. */
public final class TrainChild {
  private TrainChild() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainCommand()).execute(args));
  }
}
