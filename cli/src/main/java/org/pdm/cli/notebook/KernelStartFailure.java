package org.pdm.cli.notebook;

/**
 * The two ways a kernel start failed on a loaded machine (PLATFORM-NOTES, Notebooks): the kernel did
 * not answer in time, or died before its first reply. Only these are retried; a failing cell never is.
 */
public final class KernelStartFailure {
  private KernelStartFailure() {}

  static final String NO_RESPONSE = "Kernel didn't respond in";
  static final String DIED = "Kernel died before replying to kernel_info";
  /** nbconvert's marker of a cell that raised: such a run is a real failure even if a message above matches. */
  static final String CELL_ERROR = "CellExecutionError";

  /** True when nbconvert's output says the kernel never started. */
  public static boolean matches(String nbconvertOutput) {
    if (nbconvertOutput.contains(CELL_ERROR)) {
      return false;
    }
    return nbconvertOutput.contains(NO_RESPONSE) || nbconvertOutput.contains(DIED);
  }
}
