package dev.sluice.compiler.verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The expected verdicts of one scenario, as in the upstream e2e {@code TruthTable}: per probe, a
 * grid with one row per client pod (from) and one column per server pod (to), {@code .} allowed,
 * {@code X} blocked.
 *
 * <p>File format ({@code expected.txt}): blocks of a {@code probe P1 [P2 ...]} line (the grid holds
 * for each probe named) followed by a header line {@code - <pod> <pod> ...} and one line per pod
 * {@code <pod> <cell> <cell> ...}; {@code #} starts a comment. Pods must be listed in the model's
 * order, each probe may appear once, and the diagonal (a pod to itself: loopback, which never
 * reaches the bridge and which no policy can block) must be {@code .}.
 */
final class TruthTable {
  private final List<String> pods;
  private final Map<Probe, boolean[][]> grids;

  private TruthTable(List<String> pods, Map<Probe, boolean[][]> grids) {
    this.pods = List.copyOf(pods);
    this.grids = grids;
  }

  /** Reads {@code file}; {@code pods} is the model's pod order ({@code x/a}, {@code x/b}, ...). */
  static TruthTable read(Path file, List<String> pods) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), pods);
  }

  static TruthTable parse(String text, String source, List<String> pods) {
    Map<Probe, boolean[][]> grids = new LinkedHashMap<>();
    List<Probe> current = List.of();
    boolean[][] grid = null;
    int row = 0;
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + ":" + lineNo + ": ";
      String[] tokens = line.split("\\s+");
      if (tokens[0].equals("probe")) {
        if (grid != null && row != pods.size()) {
          throw new IllegalArgumentException(where + "the previous grid has " + row + " rows");
        }
        List<Probe> probes = new ArrayList<>();
        for (String t : Arrays.asList(tokens).subList(1, tokens.length)) {
          probes.add(Probe.parse(t));
        }
        if (probes.isEmpty()) {
          throw new IllegalArgumentException(where + "probe line without probes");
        }
        current = probes;
        grid = null;
        row = 0;
        continue;
      }
      if (current.isEmpty()) {
        throw new IllegalArgumentException(where + "grid line before any probe line");
      }
      if (tokens[0].equals("-")) {
        List<String> header = Arrays.asList(tokens).subList(1, tokens.length);
        if (!header.equals(pods)) {
          throw new IllegalArgumentException(where + "header " + header + ", expected " + pods);
        }
        grid = new boolean[pods.size()][pods.size()];
        for (Probe p : current) {
          if (grids.put(p, grid) != null) {
            throw new IllegalArgumentException(where + "probe " + p + " has two grids");
          }
        }
        continue;
      }
      if (grid == null) {
        throw new IllegalArgumentException(where + "row before the header line");
      }
      if (row >= pods.size() || !tokens[0].equals(pods.get(row))) {
        throw new IllegalArgumentException(
            where
                + "row "
                + tokens[0]
                + ", expected "
                + (row < pods.size() ? pods.get(row) : "none"));
      }
      if (tokens.length != pods.size() + 1) {
        throw new IllegalArgumentException(where + "expected " + pods.size() + " cells");
      }
      for (int col = 0; col < pods.size(); col++) {
        String cell = tokens[col + 1];
        if (!cell.equals(".") && !cell.equals("X")) {
          throw new IllegalArgumentException(where + "cell '" + cell + "' is neither . nor X");
        }
        grid[row][col] = cell.equals(".");
        if (row == col && !grid[row][col]) {
          throw new IllegalArgumentException(
              where + pods.get(row) + " to itself is loopback: always allowed");
        }
      }
      row++;
    }
    if (grid == null || row != pods.size()) {
      throw new IllegalArgumentException(source + ": the last grid is incomplete");
    }
    return new TruthTable(pods, grids);
  }

  /** The probes, in file order. */
  List<Probe> probes() {
    return List.copyOf(grids.keySet());
  }

  List<String> pods() {
    return pods;
  }

  boolean allowed(Probe probe, String from, String to) {
    boolean[][] g = grids.get(probe);
    if (g == null) {
      throw new IllegalArgumentException("no grid for probe " + probe);
    }
    return g[index(from)][index(to)];
  }

  private int index(String pod) {
    int i = pods.indexOf(pod);
    if (i < 0) {
      throw new IllegalArgumentException("unknown pod " + pod);
    }
    return i;
  }

  /**
   * A grid in the file's format, e.g. for an assertion message; {@code loopbackShown} false prints
   * {@code -} on the diagonal (a loopback verdict that was not compared).
   */
  static String format(
      List<String> pods, BiPredicate<String, String> allowed, boolean loopbackShown) {
    StringBuilder sb = new StringBuilder("-  ");
    pods.forEach(p -> sb.append(' ').append(p));
    sb.append('\n');
    for (String from : pods) {
      sb.append(from);
      for (String to : pods) {
        char c = !loopbackShown && from.equals(to) ? '-' : allowed.test(from, to) ? '.' : 'X';
        sb.append("   ").append(c);
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
