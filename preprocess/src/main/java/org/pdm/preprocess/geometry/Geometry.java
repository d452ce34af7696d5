package org.pdm.preprocess.geometry;

import java.io.Serializable;
import org.pdm.preprocess.Reasons;

/**
 * What a dataset's images must look like: the size rules an input must pass and the output size.
 *
 * <p>The crop is decided on the image as it is seen (after EXIF orientation), in original pixels:
 * with {@link Crop#CENTER} the largest centred box of the target's aspect ratio, which is then
 * scaled to the target (so the image "covers" the target); with {@link Crop#NONE} the whole image,
 * scaled to the target (its aspect ratio changes when it differs from the target's).
 *
 * <p>Rounding, so that crops are exactly centred: the box's sides are the exact fractional sizes
 * rounded to the nearest pixel; the margin left over is split with {@code floor(margin / 2)} on the
 * left (top) and the rest on the right (bottom). An odd margin thus leaves the extra pixel at the
 * right or bottom, and the box's centre is within half a pixel of the image's centre.
 *
 * @param name the preset name, for manifests and messages
 * @param width output width
 * @param height output height
 * @param minWidth inputs narrower than this (after orientation) are rejected
 * @param minHeight inputs lower than this are rejected
 * @param orientation which shapes are kept
 * @param crop how the output is cut from the input
 * @param allowUpscale when false, an input whose crop is smaller than the target is rejected
 */
public record Geometry(String name, int width, int height, int minWidth, int minHeight, Shape orientation,
    Crop crop, boolean allowUpscale) implements Serializable {

  public enum Shape {
    ANY, LANDSCAPE, PORTRAIT, SQUARE;

    boolean accepts(int w, int h) {
      return switch (this) {
        case ANY -> true;
        case LANDSCAPE -> w > h;
        case PORTRAIT -> h > w;
        case SQUARE -> w == h;
      };
    }
  }

  public enum Crop { CENTER, NONE }

  /** The paper's and the usual datasets' rules, by preset name; null for {@code custom}. */
  public static Geometry preset(String name) {
    return switch (name) {
      // Flickr scenes: width >= 2048, height >= 1024, landscape; scale to cover 2048x1024, centre crop.
      case "scapes2k" -> new Geometry(name, 2048, 1024, 2048, 1024, Shape.LANDSCAPE, Crop.CENTER, false);
      // Unsplash portraits: both sides >= 2048; long side centre-cropped to the short one; 2048x2048.
      case "people2k" -> new Geometry(name, 2048, 2048, 2048, 2048, Shape.ANY, Crop.CENTER, false);
      case "celebahq-1024" -> new Geometry(name, 1024, 1024, 1024, 1024, Shape.ANY, Crop.CENTER, false);
      case "lsun-256" -> new Geometry(name, 256, 256, 256, 256, Shape.ANY, Crop.CENTER, false);
      default -> null;
    };
  }

  /** The preset names, {@code custom} last. */
  public static String[] presetNames() {
    return new String[] {"scapes2k", "people2k", "celebahq-1024", "lsun-256", "custom"};
  }

  /**
   * Decides what to do with an image of {@code w x h} pixels as seen (after orientation).
   *
   * @return the crop box and scale, or a rejection reason
   */
  public Plan plan(int w, int h) {
    if (w < minWidth || h < minHeight) {
      return Plan.reject(Reasons.TOO_SMALL, w + "x" + h + " is below the minimum " + minWidth + "x" + minHeight);
    }
    if (!orientation.accepts(w, h)) {
      return Plan.reject(Reasons.WRONG_ORIENTATION, w + "x" + h + " is not " + orientation.name().toLowerCase());
    }
    int cw = w;
    int ch = h;
    if (crop == Crop.CENTER) {
      // Largest box of the target's aspect ratio: limited by the width or by the height.
      if ((long) w * height >= (long) h * width) {
        cw = (int) Math.min(w, Math.round((double) h * width / height));
      } else {
        ch = (int) Math.min(h, Math.round((double) w * height / width));
      }
    }
    if (!allowUpscale && (cw < width || ch < height)) {
      return Plan.reject(Reasons.TOO_SMALL, "the crop " + cw + "x" + ch + " of " + w + "x" + h + " is smaller than the output "
          + width + "x" + height + " and upscaling is off");
    }
    int x = (w - cw) / 2;
    int y = (h - ch) / 2;
    return new Plan(null, null, x, y, cw, ch);
  }

  /**
   * A decision: either a crop box in original (oriented) pixels, or a reason to reject.
   */
  public record Plan(String reason, String details, int x, int y, int w, int h) implements Serializable {
    static Plan reject(String reason, String details) {
      return new Plan(reason, details, 0, 0, 0, 0);
    }

    public boolean rejected() {
      return reason != null;
    }
  }
}
