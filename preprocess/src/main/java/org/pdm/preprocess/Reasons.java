package org.pdm.preprocess;

/**
 * Every reason an image ends up in preprocess's rejects ({@code rejects/*.parquet}, column
 * {@code reason}), so that the code, stats.json and docs/preprocess.md name the same ones.
 */
public final class Reasons {
  /** A zero-byte file or raw row. */
  public static final String EMPTY_FILE = "empty-file";
  /** An image file that could not be read (deleted meanwhile, no permission). */
  public static final String UNREADABLE = "unreadable-file";
  /** Not a format the decoder reads (from the magic number). */
  public static final String UNSUPPORTED_FORMAT = "unsupported-format";
  /** More pixels than {@code max-pixels} (a decompression bomb guard). */
  public static final String TOO_LARGE = "too-large";
  public static final String DECODE_ERROR = "decode-error";
  public static final String TOO_SMALL = "too-small";
  public static final String WRONG_ORIENTATION = "wrong-orientation";
  public static final String NEAR_CONSTANT = "near-constant";
  public static final String GREYSCALE = "greyscale";
  public static final String BORDER = "border";
  public static final String BLURRY = "blurry";
  /** A near-duplicate (perceptual hash) of an image that was kept; details name it. */
  public static final String DUPLICATE = "duplicate";

  private Reasons() {}
}
