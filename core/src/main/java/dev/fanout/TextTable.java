package dev.fanout;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns padded to their widest cell, for plans and reports. */
final class TextTable {

  private final List<String[]> rows = new ArrayList<>();

  /**
   * A table with the given column headers.
   *
   * @param headers the headers
   */
  TextTable(String... headers) {
    rows.add(headers.clone());
  }

  /**
   * Adds a row.
   *
   * @param cells one cell per column
   * @return this table
   */
  TextTable row(String... cells) {
    if (cells.length != rows.get(0).length) {
      throw new IllegalArgumentException(
          "expected " + rows.get(0).length + " cells, got " + cells.length);
    }
    rows.add(cells.clone());
    return this;
  }

  @Override
  public String toString() {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int column = 0; column < columns; column++) {
        widths[column] = Math.max(widths[column], row[column].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int column = 0; column < columns; column++) {
        line.append(String.format("%-" + widths[column] + "s", row[column]));
        if (column < columns - 1) {
          line.append("  ");
        }
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
