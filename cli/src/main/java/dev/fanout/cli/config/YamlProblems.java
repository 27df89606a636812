package dev.fanout.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Every problem found in a config file, each with the file, line and column it is at, as compilers
 * write them ({@code fanout.yml:7:5: targets[0].when: unknown key 'brnch'}), so that editors and CI
 * logs link to the place; listed in the file's order.
 */
final class YamlProblems {

  /** One problem; a problem about the whole file has line and column 0 and comes first. */
  private record Problem(int line, int column, String text) {}

  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  /**
   * @param file the file, named in every problem as the user gave it
   */
  YamlProblems(Path file) {
    this.file = file.toString();
  }

  /**
   * Records a problem at a node.
   *
   * @param node the node the problem is about
   * @param path where the node is in the document, such as {@code targets[1].when}
   * @param message what is wrong, and what would be right
   */
  void at(Node node, String path, String message) {
    at(node.getStartMark(), path, message);
  }

  /**
   * Records a problem at a place in the file.
   *
   * @param mark the place (SnakeYAML counts lines and columns from 0; people count from 1)
   * @param path where it is in the document; empty for the document itself
   * @param message what is wrong
   */
  void at(Mark mark, String path, String message) {
    int line = mark.getLine() + 1;
    int column = mark.getColumn() + 1;
    problems.add(
        new Problem(
            line,
            column,
            file
                + ":"
                + line
                + ":"
                + column
                + ": "
                + (path.isEmpty() ? "" : path + ": ")
                + message));
  }

  /**
   * Records a problem that concerns the whole file, such as its size.
   *
   * @param message what is wrong
   */
  void withFile(String message) {
    problems.add(new Problem(0, 0, file + ": " + message));
  }

  /**
   * How many problems there are so far.
   *
   * @return the count
   */
  int count() {
    return problems.size();
  }

  /**
   * The problems so far.
   *
   * @return their texts, in the file's order
   */
  List<String> list() {
    return problems.stream()
        .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
        .map(Problem::text)
        .toList();
  }
}
