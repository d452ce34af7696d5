package org.pdm.eval.recon;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.pdm.eval.sample.Pixels;

/**
 * The ablation's picture: one row per image (labelled with its id on the left), one column per
 * variant (labelled on top: original, all levels, only ..., without ...). Cells are the pictures
 * scaled to {@link #cellSize}: small ones enlarged by whole factors with nearest neighbours (so pixels
 * stay visible), large ones reduced to fit 256 px.
 */
public final class AblationGrid {
  static final int GAP = 4;
  static final int HEADER = 22;
  static final int LABEL_WIDTH = 140;
  private static final int MIN_CELL = 96;
  private static final int MAX_CELL = 256;

  private AblationGrid() {}

  /** Cell width and height for {@code width x height} pictures. */
  public static int[] cellSize(int width, int height) {
    int longest = Math.max(width, height);
    if (longest < MIN_CELL) {
      int k = (MIN_CELL + longest - 1) / longest;
      return new int[] {width * k, height * k};
    }
    if (longest > MAX_CELL) {
      return new int[] {Math.max(1, width * MAX_CELL / longest), Math.max(1, height * MAX_CELL / longest)};
    }
    return new int[] {width, height};
  }

  /** Grid width and height in pixels for {@code rows x cols} cells of {@code width x height} pictures. */
  public static int[] size(int rows, int cols, int width, int height) {
    int[] cell = cellSize(width, height);
    return new int[] {LABEL_WIDTH + cols * (cell[0] + GAP) + GAP, HEADER + rows * (cell[1] + GAP) + GAP};
  }

  /**
   * @param rowLabels one per row (image ids)
   * @param colLabels one per column
   * @param cells [row][col] uint8 HWC RGB pictures of {@code width x height}
   */
  public static BufferedImage draw(List<String> rowLabels, List<String> colLabels, byte[][][] cells, int width,
      int height) {
    int[] cell = cellSize(width, height);
    int[] size = size(rowLabels.size(), colLabels.size(), width, height);
    BufferedImage grid = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, size[0], size[1]);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.BLACK);
      FontMetrics fm = g.getFontMetrics();
      for (int c = 0; c < colLabels.size(); c++) {
        String text = fit(colLabels.get(c), fm, cell[0] + GAP);
        int x = LABEL_WIDTH + GAP + c * (cell[0] + GAP) + (cell[0] - fm.stringWidth(text)) / 2;
        g.drawString(text, x, HEADER - 6);
      }
      boolean small = Math.max(width, height) < MIN_CELL;
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, small
          ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      for (int r = 0; r < rowLabels.size(); r++) {
        int y = HEADER + GAP + r * (cell[1] + GAP);
        g.drawString(fitTail(rowLabels.get(r), fm, LABEL_WIDTH - 2 * GAP), GAP, y + cell[1] / 2 + fm.getAscent() / 2);
        for (int c = 0; c < colLabels.size(); c++) {
          g.drawImage(Pixels.image(cells[r][c], width, height), LABEL_WIDTH + GAP + c * (cell[0] + GAP), y, cell[0],
              cell[1], null);
        }
      }
    } finally {
      g.dispose();
    }
    return grid;
  }

  /** The text's end, after an ellipsis, to fit {@code max} pixels: ids differ at their ends (file names). */
  private static String fitTail(String text, FontMetrics fm, int max) {
    if (fm.stringWidth(text) <= max) {
      return text;
    }
    String t = text;
    while (t.length() > 1 && fm.stringWidth("..." + t) > max) {
      t = t.substring(1);
    }
    return "..." + t;
  }

  /** The text, cut with an ellipsis to fit {@code max} pixels. */
  private static String fit(String text, FontMetrics fm, int max) {
    if (fm.stringWidth(text) <= max) {
      return text;
    }
    String t = text;
    while (t.length() > 1 && fm.stringWidth(t + "...") > max) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "...";
  }
}
