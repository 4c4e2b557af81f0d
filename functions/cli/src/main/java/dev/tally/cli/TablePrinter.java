package dev.tally.cli;

import dev.tally.money.Money;
import dev.tally.rollup.Rollup;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints the rollup tables in full as aligned text, for the demo. */
final class TablePrinter {
    private TablePrinter() {
    }

    static void print(Rollup rollup, PrintWriter out) {
        List<List<String>> areas = new ArrayList<>();
        rollup.productAreaCosts().forEach(r -> areas.add(List.of(r.productArea(), Money.format(r.cost()))));
        table(out, "product_area_costs", List.of("product_area", "cost"), areas);

        List<List<String>> services = new ArrayList<>();
        rollup.serviceCosts().forEach(r -> services.add(
                List.of(r.cluster(), r.service(), r.productArea(), Money.format(r.cost()))));
        table(out, "service_costs", List.of("cluster", "service", "product_area", "cost"), services);

        List<List<String>> products = new ArrayList<>();
        rollup.productAreaAwsProductCosts().forEach(r -> products.add(
                List.of(r.awsProduct(), r.productArea(), Money.format(r.cost()))));
        table(out, "product_area_aws_product_costs", List.of("aws_product", "product_area", "cost"), products);
    }

    private static void table(PrintWriter out, String title, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        out.println(title);
        line(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("  ").append("-".repeat(w));
        }
        out.println(rule);
        rows.forEach(row -> line(out, row, width));
        out.println();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            boolean number = c == cells.size() - 1;
            String cell = cells.get(c);
            line.append("  ").append(number ? " ".repeat(width[c] - cell.length()) + cell
                    : cell + " ".repeat(width[c] - cell.length()));
        }
        out.println(line.toString().stripTrailing());
    }
}
