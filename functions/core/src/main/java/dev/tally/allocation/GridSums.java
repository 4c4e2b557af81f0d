package dev.tally.allocation;

import dev.tally.money.ScaledMoney;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Sums of money in 10<sup>-10</sup> units on a small dense grid — products by targets, a few hundred
 * cells — addressed directly, with no hashing on the path every row takes. A cell whose sum would
 * overflow a long carries the excess as an exact decimal, so no addition is ever lost.
 */
final class GridSums {
    private long[][] rows = new long[64][];
    private boolean[][] touched = new boolean[64][];
    private final Map<Long, BigDecimal> overflow = new HashMap<>();

    void add(int row, int column, long units) {
        if (row >= rows.length) {
            rows = Arrays.copyOf(rows, Math.max(row + 1, rows.length * 2));
            touched = Arrays.copyOf(touched, rows.length);
        }
        long[] cells = rows[row];
        if (cells == null || column >= cells.length) {
            int size = Math.max(column + 1, cells == null ? 64 : cells.length * 2);
            cells = cells == null ? new long[size] : Arrays.copyOf(cells, size);
            rows[row] = cells;
            touched[row] = touched[row] == null ? new boolean[size] : Arrays.copyOf(touched[row], size);
        }
        touched[row][column] = true;
        long sum = cells[column];
        long result = sum + units;
        if (((sum ^ result) & (units ^ result)) < 0) {
            overflow.merge(LongSums.key(row, column),
                    ScaledMoney.toBigDecimal(sum).add(ScaledMoney.toBigDecimal(units)), BigDecimal::add);
            cells[column] = 0;
        } else {
            cells[column] = result;
        }
    }

    /** Every cell that was added to, with its exact sum. */
    void forEach(Cell action) {
        for (int row = 0; row < rows.length; row++) {
            if (rows[row] == null) {
                continue;
            }
            for (int column = 0; column < rows[row].length; column++) {
                if (touched[row][column]) {
                    BigDecimal extra = overflow.get(LongSums.key(row, column));
                    BigDecimal sum = ScaledMoney.toBigDecimal(rows[row][column]);
                    action.accept(row, column, extra == null ? sum : sum.add(extra));
                }
            }
        }
    }

    /** Receives a cell and its sum. */
    interface Cell {
        void accept(int row, int column, BigDecimal amount);
    }
}
