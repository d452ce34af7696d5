package org.pdm.preprocess.quality;

import org.pdm.preprocess.image.RgbImage;

/**
 * Heavy borders (letterboxing, padding, frames, scanner margins): a band at an edge in which every
 * pixel is within a tolerance of the edge's corner colour, and that colour is near black (every
 * channel at most 40) or near white (every channel at least 215). Coloured frames are not detected:
 * flat skies, water and fields at an edge of a real photo are coloured, and must not count.
 */
public final class Borders {
  private Borders() {}

  /** @param fraction the band's depth over the image's size in that direction */
  public record Band(String side, double fraction) {}

  /** The deepest uniform band over the four edges. */
  public static Band widest(RgbImage img, int tolerance) {
    int w = img.width();
    int h = img.height();
    Band best = new Band("", 0);
    int top = 0;
    while (top < h && rowUniform(img, top, img.rgb(0, 0), tolerance)) {
      top++;
    }
    int bottom = 0;
    while (bottom < h && rowUniform(img, h - 1 - bottom, img.rgb(0, h - 1), tolerance)) {
      bottom++;
    }
    int left = 0;
    while (left < w && columnUniform(img, left, img.rgb(0, 0), tolerance)) {
      left++;
    }
    int right = 0;
    while (right < w && columnUniform(img, w - 1 - right, img.rgb(w - 1, 0), tolerance)) {
      right++;
    }
    best = deeper(best, "top", top / (double) h);
    best = deeper(best, "bottom", bottom / (double) h);
    best = deeper(best, "left", left / (double) w);
    return deeper(best, "right", right / (double) w);
  }

  private static Band deeper(Band a, String side, double f) {
    return f > a.fraction() ? new Band(side, f) : a;
  }

  /** Near black or near white: the colours of letterboxes, padding and scanner margins. */
  static boolean borderColour(int rgb) {
    int r = (rgb >> 16) & 255;
    int g = (rgb >> 8) & 255;
    int b = rgb & 255;
    return (r <= 40 && g <= 40 && b <= 40) || (r >= 215 && g >= 215 && b >= 215);
  }

  private static boolean rowUniform(RgbImage img, int y, int ref, int tol) {
    if (!borderColour(ref)) {
      return false;
    }
    for (int x = 0; x < img.width(); x++) {
      if (!close(img.rgb(x, y), ref, tol)) {
        return false;
      }
    }
    return true;
  }

  private static boolean columnUniform(RgbImage img, int x, int ref, int tol) {
    if (!borderColour(ref)) {
      return false;
    }
    for (int y = 0; y < img.height(); y++) {
      if (!close(img.rgb(x, y), ref, tol)) {
        return false;
      }
    }
    return true;
  }

  static boolean close(int a, int b, int tol) {
    return Math.abs(((a >> 16) & 255) - ((b >> 16) & 255)) <= tol
        && Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)) <= tol
        && Math.abs((a & 255) - (b & 255)) <= tol;
  }
}
