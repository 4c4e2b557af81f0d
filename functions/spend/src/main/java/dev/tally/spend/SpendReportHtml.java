package dev.tally.spend;

import dev.tally.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The spend report as one self-contained HTML page: inline CSS, charts as inline SVG written here, no script, no
 * font, no image and no address outside the page; a Content-Security-Policy that would block (and report) anything
 * fetched. It opens from disk and from S3 alike. Colours are the Okabe–Ito palette, and every series also has its
 * own pattern and number, so colour is never the only cue (nor needed in black-and-white print). Every chart has
 * its table; money is shown to the cent with thousands separators (half-even), sums are the model's exact sums
 * rounded once. Every string from the data is escaped.
 *
 * <p>Stable hooks for tests and scrapers: {@code data-total="YYYY-MM"} (a month's total), {@code
 * data-coverage="YYYY-MM"}, {@code data-area-total="YYYY-MM"}, {@code data-mover="<subject id>"} with {@code
 * data-delta} (a mover's row and its exact change), {@code data-forecast="total|so-far|complete-days"}, and an
 * {@code id} per section.
 */
public final class SpendReportHtml {
    /** Okabe–Ito, in the order series take them; readable for the common colour-vision deficiencies. */
    static final List<String> PALETTE = List.of("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
            "#F0E442", "#000000");
    static final String OTHER_COLOUR = "#BBBBBB";
    static final String UP_COLOUR = "#D55E00";
    static final String DOWN_COLOUR = "#0072B2";
    /** The policy in the page: nothing may be fetched; only the inline style applies. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private static final String CSS = """
            :root { color-scheme: light; }
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
                   color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 960px; padding: 1.5rem; }
            h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
            h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid #1a1a1a; padding-bottom: .2rem; }
            h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
            dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0; }
            dl.facts dt { font-weight: 600; }
            dl.facts dd { margin: 0; }
            nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
            nav a { color: #0b4f8a; }
            table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
            caption { text-align: left; font-weight: 600; padding: .2rem 0; }
            th, td { border-bottom: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
            thead th { border-bottom: 2px solid #1a1a1a; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tfoot td, tfoot th { border-top: 2px solid #1a1a1a; font-weight: 600; }
            .up { color: #a33a00; }
            .down { color: #00538a; }
            .badge { display: inline-block; padding: 0 .4rem; border: 1px solid currentColor; border-radius: .3rem;
                     font-size: .8rem; font-weight: 600; }
            .note { color: #444; font-size: .9rem; }
            figure { margin: .6rem 0; }
            figcaption { font-size: .9rem; color: #444; }
            svg { max-width: 100%; height: auto; font-family: inherit; }
            svg text { font-size: 12px; fill: #1a1a1a; }
            .drivers { margin: 0; padding-left: 1rem; }
            @media print {
              body { max-width: none; padding: 0; font-size: 10pt; }
              nav { display: none; }
              section, figure, table { break-inside: avoid-page; }
              h2 { break-after: avoid-page; }
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              a { color: inherit; text-decoration: none; }
            }
            @page { margin: 1.4cm; }
            """;

    private final SpendReport report;
    private final StringBuilder html = new StringBuilder(64 * 1024);

    private SpendReportHtml(SpendReport report) {
        this.report = report;
    }

    /** The page. */
    public static String render(SpendReport report) {
        return new SpendReportHtml(report).page();
    }

    private String page() {
        MonthRollup latest = report.latest();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY)
                .append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"tally report\">\n<title>AWS spend ")
                .append(latest.period()).append(" (").append(status(latest)).append(") - Tally</title>\n<style>\n")
                .append(CSS).append("</style>\n</head>\n<body>\n");
        header();
        totals();
        areas();
        movers();
        forecast();
        services();
        unitCosts();
        untagged();
        tables();
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    // ---------------------------------------------------------------------------------------------------- sections

    private void header() {
        MonthRollup latest = report.latest();
        YearMonth first = report.months().get(0).period();
        html.append("<header id=\"header\">\n<h1>AWS spend by product area");
        html.append(first.equals(latest.period()) ? ", " + latest.period()
                : ", " + first + " to " + latest.period()).append("</h1>\n<dl class=\"facts\">\n");
        fact("Cost basis", "<span data-basis>" + esc(report.costBasis()) + "</span>"
                + ("amortized".equals(report.costBasis())
                ? " (reservation and savings-plan fees spread over their term and usage)"
                : " (what the invoice charged)"));
        fact("This month", "<span data-this-month=\"" + latest.period() + "\" data-final=\"" + latest.isFinal() + "\">"
                + latest.period() + "</span> <span class=\"badge\">" + status(latest) + "</span>"
                + (latest.isFinal() ? " final bill" : " the bill so far; AWS revises it until the month is invoiced"));
        fact("Months", report.months().size() + " (" + join(report.months().stream()
                .map(m -> m.period() + (m.isFinal() ? "" : " estimated")).toList()) + ")");
        fact("Runs", "this month's run <code>" + esc(latest.runId()) + "</code>, finished "
                + esc(timestamp(latest.finishedAt())));
        fact("Generated at", "<span data-generated-at>" + esc(timestamp(report.generatedAt())) + "</span>");
        html.append("</dl>\n<nav aria-label=\"Sections\"><ul>");
        for (String[] link : new String[][] {{"totals", "Totals and coverage"}, {"areas", "Cost by area"},
                {"movers", "Top movers"}, {"forecast", "Forecast"}, {"services", "Services"},
                {"unit-costs", "Unit costs"}, {"untagged", "What to tag next"}, {"tables", "Tables"}}) {
            html.append("<li><a href=\"#").append(link[0]).append("\">").append(link[1]).append("</a></li>");
        }
        html.append("</ul></nav>\n</header>\n");
    }

    private void totals() {
        html.append("<section id=\"totals\">\n<h2>Totals and coverage per month</h2>\n");
        html.append("<p class=\"note\">Coverage is the share of the cost allocated to a product area; unallocated is "
                + "what no rule could attribute (untagged resources, mostly), unmapped what came to ECS services "
                + "missing from the areas map.</p>\n");
        html.append("<table id=\"totals-table\">\n<thead><tr><th>Month</th><th>Bill</th><th class=\"num\">Total</th>"
                + "<th class=\"num\">Change</th><th class=\"num\">Change %</th><th class=\"num\">Allocated</th>"
                + "<th class=\"num\">Unallocated</th><th class=\"num\">Unmapped</th><th class=\"num\">Coverage</th>"
                + "</tr></thead>\n<tbody>\n");
        for (SpendReport.MonthTotal t : report.monthTotals()) {
            MonthRollup.Totals m = t.month().totals();
            String p = t.period().toString();
            html.append("<tr data-month=\"").append(p).append("\"><th scope=\"row\">").append(p).append("</th><td>")
                    .append(status(t.month())).append("</td><td class=\"num\" data-total=\"").append(p).append("\">")
                    .append(money(m.total())).append("</td>");
            changeCells(t.delta(), t.relative());
            html.append("<td class=\"num\">").append(money(m.allocated())).append("</td><td class=\"num\">")
                    .append(money(m.unallocated())).append("</td><td class=\"num\">").append(money(m.unmapped()))
                    .append("</td><td class=\"num\" data-coverage=\"").append(p).append("\">")
                    .append(percent(m.coverage(), false)).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private void areas() {
        List<YearMonth> periods = report.months().stream().map(MonthRollup::period).toList();
        List<Series> series = series();
        html.append("<section id=\"areas\">\n<h2>Cost by product area over the months</h2>\n<figure>\n");
        stackedBars(periods, series);
        html.append("<figcaption>Each bar is a month's cost, stacked by product area (numbered as in the legend; "
                + "each area has its own colour and pattern)");
        if (!report.otherAreas().isEmpty()) {
            html.append("; ").append(report.otherAreas().size()).append(" smaller areas are drawn together as “")
                    .append(SpendReport.OTHER_AREAS).append("”");
        }
        html.append(". Negative costs (credits beyond an area's charges) are in the table, not drawn.</figcaption>\n"
                + "</figure>\n");
        html.append("<table id=\"areas-table\">\n<caption>Cost per product area and month</caption>\n<thead><tr>"
                + "<th>Product area</th>");
        periods.forEach(p -> html.append("<th class=\"num\">").append(p).append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (Map.Entry<Subject, SortedMap<YearMonth, BigDecimal>> area : report.areaCosts().entrySet()) {
            html.append("<tr data-area=\"").append(esc(area.getKey().first())).append("\"><th scope=\"row\">")
                    .append(esc(area.getKey().label())).append("</th>");
            periods.forEach(p -> html.append("<td class=\"num\">").append(Optional.ofNullable(area.getValue().get(p))
                    .map(SpendReportHtml::money).orElse("–")).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>");
        for (YearMonth p : periods) {
            BigDecimal sum = report.areaCosts().values().stream().map(c -> c.getOrDefault(p, Money.ZERO))
                    .reduce(Money.ZERO, BigDecimal::add);
            html.append("<td class=\"num\" data-area-total=\"").append(p).append("\">").append(money(sum))
                    .append("</td>");
        }
        html.append("</tr></tfoot>\n</table>\n</section>\n");
    }

    private void movers() {
        MonthRollup latest = report.latest();
        html.append("<section id=\"movers\">\n<h2>Top movers in ").append(latest.period()).append("</h2>\n");
        Optional<MonthRollup> previous = report.previous();
        if (previous.isEmpty()) {
            html.append("<p data-no-movers>No movers: the history has no month before ").append(latest.period())
                    .append(" to compare it with.</p>\n</section>\n");
            return;
        }
        html.append("<p class=\"note\">Against ").append(previous.get().period()).append(" (")
                .append(status(previous.get())).append("). A month still open is compared as it stands so far.</p>\n");
        if (report.areaMovers().isEmpty()) {
            html.append("<p>No product area's cost moved.</p>\n");
        } else {
            html.append("<figure>\n");
            moverBars(report.areaMovers().stream().map(SpendReport.AreaMove::change).toList());
            html.append("<figcaption>The product areas whose cost moved most: increases to the right (▲), decreases "
                    + "to the left (▼, hatched).</figcaption>\n</figure>\n");
            html.append("<table id=\"area-movers\">\n<caption>Product areas that moved most, and the AWS products "
                    + "behind each move</caption>\n<thead><tr><th>Product area</th><th class=\"num\">")
                    .append(previous.get().period()).append("</th><th class=\"num\">").append(latest.period())
                    .append("</th><th class=\"num\">Change</th><th class=\"num\">Change %</th><th>Driven by</th>"
                            + "</tr></thead>\n<tbody>\n");
            for (SpendReport.AreaMove move : report.areaMovers()) {
                changeRow(move.change(), false);
                html.append("<td><ul class=\"drivers\">");
                for (Change driver : move.drivers()) {
                    html.append("<li>").append(esc(driver.subject().first())).append(" <span class=\"")
                            .append(direction(driver)).append("\">").append(arrow(driver))
                            .append(signedMoney(driver.delta())).append("</span></li>");
                }
                html.append("</ul></td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
        }
        changeTable("service-movers", "ECS services that moved most", "Service", report.serviceMovers(),
                "No ECS service's cost moved.");
        changeTable("untagged-movers", "Untagged resources that moved most (tag these to give them an area)",
                "Resource (AWS product)", report.untaggedMovers(), "No untagged resource's cost moved.");
        html.append("</section>\n");
    }

    private void forecast() {
        MonthRollup latest = report.latest();
        html.append("<section id=\"forecast\">\n<h2>Forecast of ").append(latest.period()).append("</h2>\n");
        if (latest.isFinal()) {
            html.append("<p data-forecast-closed>").append(latest.period()).append(" is closed: its final bill is ")
                    .append("<span data-forecast=\"total\">").append(money(latest.totals().total()))
                    .append("</span>. Nothing to forecast.</p>\n</section>\n");
            return;
        }
        if (report.forecast().isEmpty()) {
            html.append("<p data-no-forecast>No forecast: this month's run does not say how its cost accrues (it was "
                    + "written before runs kept that).</p>\n</section>\n");
            return;
        }
        MonthEndForecast.Forecast f = report.forecast().get();
        Optional<BigDecimal> last = report.previous().map(m -> m.totals().total());
        html.append("<figure>\n");
        forecastBar(f, last);
        html.append("<figcaption>Solid: the cost so far. Hatched: what the rest of the month adds at the recent run "
                + "rate.").append(last.isPresent() ? " The dashed line is last month's total." : "")
                .append("</figcaption>\n</figure>\n<dl class=\"facts\">\n");
        fact("So far", "<span data-forecast=\"so-far\">" + money(f.soFar()) + "</span>");
        fact("Projected month end", "<span data-forecast=\"total\">" + money(f.total()) + "</span>"
                + last.map(l -> " (" + signedMoney(f.total().subtract(l)) + " against last month)").orElse(""));
        fact("Complete days", "<span data-forecast=\"complete-days\">" + f.completeDays() + "</span> of "
                + f.period().lengthOfMonth() + "; usage through " + esc(timestamp(f.usageThrough())));
        fact("Rate stepped", f.stepped() ? "<strong>yes</strong>: projected at the new rate (below)" : "no");
        html.append("</dl>\n<p class=\"note\">Usage is projected at each AWS product's run rate over the last "
                + MonthEndForecast.RATE_DAYS + " complete days; fixed charges (monthly and reservation fees) are "
                + "already the month's and are not projected. A product whose rate over the last "
                + MonthEndForecast.STEP_DAYS + " days differs from the days before by "
                + percent(MonthEndForecast.STEP_RELATIVE, false) + " or more is projected at its new rate.</p>\n");
        if (f.stepped()) {
            html.append("<table id=\"forecast-steps\">\n<caption>Run rates that stepped within the month</caption>\n"
                    + "<thead><tr><th>AWS product</th><th class=\"num\">Daily rate before</th><th class=\"num\">"
                    + "Daily rate over the last days</th><th class=\"num\">Change %</th></tr></thead>\n<tbody>\n");
            for (Map.Entry<String, MonthEndForecast.Step> step : f.steps()) {
                html.append("<tr data-step=\"").append(esc(step.getKey())).append("\"><th scope=\"row\">")
                        .append(esc(step.getKey())).append("</th><td class=\"num\">")
                        .append(money(step.getValue().earlierDailyRate())).append("</td><td class=\"num\">")
                        .append(money(step.getValue().recentDailyRate())).append("</td><td class=\"num\">")
                        .append(percent(step.getValue().relative(), true)).append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
        }
        html.append("<table id=\"forecast-areas\">\n<caption>Forecast per product area</caption>\n<thead><tr>"
                + "<th>Product area</th><th class=\"num\">So far</th><th class=\"num\">Projected</th></tr></thead>\n"
                + "<tbody>\n");
        for (Map.Entry<Subject, BigDecimal> area : f.areas().entrySet()) {
            html.append("<tr><th scope=\"row\">").append(esc(area.getKey().label())).append("</th><td class=\"num\">")
                    .append(money(latest.areas().getOrDefault(area.getKey(), Money.ZERO)))
                    .append("</td><td class=\"num\">").append(money(area.getValue())).append("</td></tr>\n");
        }
        html.append("</tbody>\n<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">").append(money(f.soFar()))
                .append("</td><td class=\"num\" data-forecast-areas-total>")
                .append(money(f.areas().values().stream().reduce(Money.ZERO, BigDecimal::add)))
                .append("</td></tr></tfoot>\n</table>\n</section>\n");
    }

    private void services() {
        MonthRollup latest = report.latest();
        html.append("<section id=\"services\">\n<h2>ECS services in ").append(latest.period()).append("</h2>\n");
        if (report.services().isEmpty()) {
            html.append("<p>No cost came to an ECS service this month.</p>\n</section>\n");
            return;
        }
        boolean changes = report.previous().isPresent();
        html.append("<table id=\"services-table\">\n<thead><tr><th>Service</th><th>Product area</th>"
                + "<th class=\"num\">Cost</th>");
        if (changes) {
            html.append("<th class=\"num\">Change</th><th class=\"num\">Change %</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (SpendReport.ServiceCost s : report.services()) {
            html.append("<tr data-service=\"").append(esc(s.service().label())).append("\"><th scope=\"row\">")
                    .append(esc(s.service().label())).append("</th><td>").append(esc(s.area()))
                    .append("</td><td class=\"num\">").append(money(s.cost())).append("</td>");
            if (changes) {
                changeCells(s.change().map(Change::delta), s.change().flatMap(Change::relative));
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"2\">Total of the services</th>"
                + "<td class=\"num\" data-services-total>")
                .append(money(report.services().stream().map(SpendReport.ServiceCost::cost)
                        .reduce(Money.ZERO, BigDecimal::add))).append("</td>");
        if (changes) {
            html.append("<td></td><td></td>");
        }
        html.append("</tr></tfoot>\n</table>\n</section>\n");
    }

    private void unitCosts() {
        html.append("<section id=\"unit-costs\">\n<h2>Unit costs</h2>\n");
        if (report.unitCosts().isEmpty()) {
            html.append("<p data-no-unit-costs>No business metrics were given (<code>tally report DIR --metrics "
                    + "FILE</code>, a CSV of <code>billing_period,product_area,metric,value</code>).</p>\n"
                    + "</section>\n");
            return;
        }
        html.append("<table id=\"unit-costs-table\">\n<caption>Cost of a product area per million units of its "
                + "metric</caption>\n<thead><tr><th>Month</th><th>Product area</th><th>Metric</th>"
                + "<th class=\"num\">Units</th><th class=\"num\">Area cost</th><th class=\"num\">Cost per million</th>"
                + "<th class=\"num\">Change %</th></tr></thead>\n<tbody>\n");
        for (UnitCosts.UnitCost u : report.unitCosts()) {
            html.append("<tr data-unit-cost=\"").append(u.period()).append('|').append(esc(u.area())).append('|')
                    .append(esc(u.metric())).append("\"><td>").append(u.period()).append("</td><td>")
                    .append(esc(u.area())).append("</td><td>").append(esc(u.metric())).append("</td><td class=\"num\">")
                    .append(grouped(u.value())).append("</td><td class=\"num\">").append(money(u.cost()))
                    .append("</td><td class=\"num\">").append(u.costPer(1_000_000).map(SpendReportHtml::money)
                            .orElse("–")).append("</td><td class=\"num\">")
                    .append(u.relativeChange().map(r -> arrow(r.signum()) + percent(r, true)).orElse("–"))
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private void untagged() {
        MonthRollup latest = report.latest();
        html.append("<section id=\"untagged\">\n<h2>What to tag next: the most expensive untagged resources in ")
                .append(latest.period()).append("</h2>\n");
        if (report.untagged().isEmpty()) {
            html.append("<p>No untagged resource has a cost this month.</p>\n</section>\n");
            return;
        }
        BigDecimal unallocated = latest.totals().unallocated();
        html.append("<table id=\"untagged-table\">\n<thead><tr><th>#</th><th>Resource</th><th>AWS product</th>"
                + "<th class=\"num\">Cost</th><th class=\"num\">Share of unallocated</th></tr></thead>\n<tbody>\n");
        int rank = 1;
        BigDecimal sum = Money.ZERO;
        for (MonthRollup.Untagged u : report.untagged()) {
            html.append("<tr data-untagged=\"").append(esc(u.resourceId())).append("\"><td class=\"num\">")
                    .append(rank++).append("</td><td><code>").append(esc(u.resourceId())).append("</code></td><td>")
                    .append(esc(u.awsProduct())).append("</td><td class=\"num\">").append(money(u.cost()))
                    .append("</td><td class=\"num\">").append(unallocated.signum() == 0 ? "–"
                            : percent(u.cost().divide(unallocated, 4, RoundingMode.HALF_EVEN), false))
                    .append("</td></tr>\n");
            sum = sum.add(u.cost());
        }
        html.append("</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">These ").append(report.untagged().size())
                .append(" of ").append(latest.untagged().size()).append(" untagged resources</th>"
                        + "<td class=\"num\" data-untagged-total>").append(money(sum)).append("</td><td class=\"num\">")
                .append(unallocated.signum() == 0 ? "–"
                        : percent(sum.divide(unallocated, 4, RoundingMode.HALF_EVEN), false))
                .append("</td></tr></tfoot>\n</table>\n</section>\n");
    }

    private void tables() {
        html.append("<section id=\"tables\">\n<h2>Tables</h2>\n<p class=\"note\">The figures behind the charts are "
                + "in the table under each; here every AWS product in every product area, this month against the "
                + "month before.</p>\n");
        if (report.previous().isEmpty()) {
            html.append("<table id=\"products-table\">\n<caption>Cost per AWS product in each product area, ")
                    .append(report.latest().period()).append("</caption>\n<thead><tr><th>AWS product</th>"
                            + "<th>Product area</th><th class=\"num\">Cost</th></tr></thead>\n<tbody>\n");
            report.latest().products().forEach((s, cost) -> html.append("<tr><td>").append(esc(s.first()))
                    .append("</td><td>").append(esc(s.second())).append("</td><td class=\"num\">").append(money(cost))
                    .append("</td></tr>\n"));
            html.append("</tbody>\n</table>\n</section>\n");
            return;
        }
        changeTable("products-table", "Cost per AWS product in each product area, biggest move first",
                "AWS product in product area", report.productChanges(), "No costs this month or the month before.");
        html.append("</section>\n");
    }

    // ---------------------------------------------------------------------------------------------------- tables

    private void changeTable(String id, String caption, String subjectHeading, List<Change> changes, String empty) {
        if (changes.isEmpty()) {
            html.append("<p id=\"").append(id).append("\">").append(empty).append("</p>\n");
            return;
        }
        Change first = changes.get(0);
        html.append("<table id=\"").append(id).append("\">\n<caption>").append(caption).append("</caption>\n")
                .append("<thead><tr><th>").append(subjectHeading).append("</th><th class=\"num\">")
                .append(first.period().minusMonths(1)).append("</th><th class=\"num\">").append(first.period())
                .append("</th><th class=\"num\">Change</th><th class=\"num\">Change %</th></tr></thead>\n<tbody>\n");
        for (Change c : changes) {
            changeRow(c, true);
        }
        html.append("</tbody>\n</table>\n");
    }

    /** A mover's row, open for more cells unless {@code close}. */
    private void changeRow(Change c, boolean close) {
        html.append("<tr data-mover=\"").append(esc(c.subject().id())).append("\" data-delta=\"")
                .append(c.delta().toPlainString()).append("\"><th scope=\"row\">").append(esc(c.subject().label()))
                .append("</th><td class=\"num\">").append(money(c.previous())).append("</td><td class=\"num\">")
                .append(money(c.current())).append("</td>");
        changeCells(Optional.of(c.delta()), c.relative());
        if (close) {
            html.append("</tr>\n");
        }
    }

    private void changeCells(Optional<BigDecimal> delta, Optional<BigDecimal> relative) {
        if (delta.isEmpty()) {
            html.append("<td class=\"num\">–</td><td class=\"num\">–</td>");
            return;
        }
        String direction = delta.get().signum() > 0 ? "up" : delta.get().signum() < 0 ? "down" : "";
        html.append("<td class=\"num ").append(direction).append("\">").append(arrow(delta.get().signum()))
                .append(signedMoney(delta.get())).append("</td><td class=\"num ").append(direction).append("\">")
                .append(relative.map(r -> percent(r, true)).orElse(delta.get().signum() == 0 ? "0.00%" : "new"))
                .append("</td>");
    }

    private void fact(String term, String definitionHtml) {
        html.append("<dt>").append(term).append("</dt><dd>").append(definitionHtml).append("</dd>\n");
    }

    // ---------------------------------------------------------------------------------------------------- charts

    /** One stacked series: its label, colour, pattern and cost per month. */
    private record Series(String label, String colour, int pattern, Map<YearMonth, BigDecimal> costs) {
    }

    private List<Series> series() {
        List<Series> series = new ArrayList<>();
        List<Subject> drawn = report.chartAreas();
        for (int i = 0; i < drawn.size(); i++) {
            series.add(new Series(drawn.get(i).label(), PALETTE.get(i % PALETTE.size()), i,
                    report.areaCosts().get(drawn.get(i))));
        }
        List<Subject> others = report.otherAreas();
        if (!others.isEmpty()) {
            Map<YearMonth, BigDecimal> costs = new java.util.TreeMap<>();
            others.forEach(a -> report.areaCosts().get(a).forEach((p, c) -> costs.merge(p, c.max(Money.ZERO),
                    BigDecimal::add)));
            series.add(new Series(SpendReport.OTHER_AREAS, OTHER_COLOUR, PALETTE.size(), costs));
        }
        return series;
    }

    /** A fill pattern per series: colour plus its own texture, so print and colour-blind readers can tell them. */
    private void patterns(List<Series> series) {
        html.append("<defs>\n");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String ink = s.colour().equals("#000000") || s.colour().equals("#0072B2") ? "#ffffff" : "#000000";
            html.append("<pattern id=\"area-pattern-").append(i).append("\" patternUnits=\"userSpaceOnUse\" "
                    + "width=\"8\" height=\"8\"><rect width=\"8\" height=\"8\" fill=\"").append(s.colour())
                    .append("\"/>").append(texture(s.pattern(), ink)).append("</pattern>\n");
        }
        html.append("</defs>\n");
    }

    private static String texture(int pattern, String ink) {
        String stroke = "\" stroke=\"" + ink + "\" stroke-opacity=\"0.55\" stroke-width=\"1.3\"/>";
        String dot = "\" fill=\"" + ink + "\" fill-opacity=\"0.55\"/>";
        return switch (pattern) {
            case 0 -> "";
            case 1 -> "<path d=\"M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" + stroke;
            case 2 -> "<circle cx=\"4\" cy=\"4\" r=\"1.5" + dot;
            case 3 -> "<path d=\"M0,4 L8,4" + stroke;
            case 4 -> "<path d=\"M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2" + stroke;
            case 5 -> "<path d=\"M4,0 L4,8" + stroke;
            case 6 -> "<path d=\"M0,4 L8,4 M4,0 L4,8" + stroke;
            case 7 -> "<circle cx=\"2\" cy=\"2\" r=\"1.2" + dot + "<circle cx=\"6\" cy=\"6\" "
                    + "r=\"1.2" + dot;
            default -> "<path d=\"M0,0 L8,8 M8,0 L0,8" + stroke;
        };
    }

    private void stackedBars(List<YearMonth> periods, List<Series> series) {
        int width = 900;
        int left = 84;
        int legendWidth = 230;
        int top = 28;
        int plotHeight = 300;
        int height = top + plotHeight + 40;
        double plotWidth = width - left - legendWidth - 16;
        BigDecimal max = Money.ZERO;
        for (YearMonth p : periods) {
            BigDecimal sum = series.stream().map(s -> s.costs().getOrDefault(p, Money.ZERO).max(Money.ZERO))
                    .reduce(Money.ZERO, BigDecimal::add);
            max = max.max(sum);
        }
        double step = niceStep(max.doubleValue() / 4);
        double top0 = Math.max(step, Math.ceil(max.doubleValue() / step) * step);
        html.append("<svg id=\"areas-chart\" role=\"img\" aria-labelledby=\"areas-chart-title\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\">\n<title id=\"areas-chart-title\">Cost by product area per month, stacked"
                        + "</title>\n");
        patterns(series);
        for (double tick = 0; tick <= top0 + step / 2; tick += step) {
            double y = top + plotHeight - tick / top0 * plotHeight;
            html.append("<line x1=\"").append(left).append("\" x2=\"").append(f(left + plotWidth)).append("\" y1=\"")
                    .append(f(y)).append("\" y2=\"").append(f(y)).append("\" stroke=\"#d0d0d0\"/>")
                    .append("<text x=\"").append(left - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\">").append(axisMoney(tick)).append("</text>\n");
        }
        double slot = plotWidth / periods.size();
        double barWidth = Math.min(80, slot * 0.62);
        for (int m = 0; m < periods.size(); m++) {
            YearMonth p = periods.get(m);
            double x = left + slot * m + (slot - barWidth) / 2;
            double y = top + plotHeight;
            for (int i = 0; i < series.size(); i++) {
                BigDecimal cost = series.get(i).costs().getOrDefault(p, Money.ZERO).max(Money.ZERO);
                double h = cost.doubleValue() / top0 * plotHeight;
                if (h <= 0) {
                    continue;
                }
                y -= h;
                html.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"")
                        .append(f(barWidth)).append("\" height=\"").append(f(h)).append("\" fill=\"url(#area-pattern-")
                        .append(i).append(")\" stroke=\"#ffffff\" stroke-width=\"0.8\"><title>").append(p).append(' ')
                        .append(esc(series.get(i).label())).append(": ").append(money(cost)).append("</title></rect>");
                if (h >= 16) {
                    badge(x + barWidth / 2, y + h / 2, i + 1);
                }
                html.append('\n');
            }
            BigDecimal total = report.monthTotals().get(m).total();
            html.append("<text x=\"").append(f(x + barWidth / 2)).append("\" y=\"").append(f(y - 6))
                    .append("\" text-anchor=\"middle\" font-weight=\"600\">").append(money(total)).append("</text>")
                    .append("<text x=\"").append(f(x + barWidth / 2)).append("\" y=\"").append(top + plotHeight + 18)
                    .append("\" text-anchor=\"middle\">").append(p)
                    .append(report.months().get(m).isFinal() ? "" : " (est.)").append("</text>\n");
        }
        html.append("<line x1=\"").append(left).append("\" x2=\"").append(f(left + plotWidth)).append("\" y1=\"")
                .append(top + plotHeight).append("\" y2=\"").append(top + plotHeight)
                .append("\" stroke=\"#1a1a1a\"/>\n");
        double legendX = width - legendWidth;
        for (int i = series.size() - 1, row = 0; i >= 0; i--, row++) {
            double y = top + row * 24;
            html.append("<rect x=\"").append(f(legendX)).append("\" y=\"").append(f(y)).append("\" width=\"30\" "
                    + "height=\"18\" fill=\"url(#area-pattern-").append(i).append(")\" stroke=\"#1a1a1a\" "
                    + "stroke-width=\"0.6\"/>");
            badge(legendX + 15, y + 9, i + 1);
            html.append("<text x=\"").append(f(legendX + 38)).append("\" y=\"").append(f(y + 13)).append("\">")
                    .append(esc(truncate(series.get(i).label(), 26))).append("</text>\n");
        }
        html.append("</svg>\n");
    }

    /** A series number on a white disc: readable on any fill. */
    private void badge(double cx, double cy, int number) {
        html.append("<circle cx=\"").append(f(cx)).append("\" cy=\"").append(f(cy)).append("\" r=\"7\" "
                + "fill=\"#ffffff\" stroke=\"#1a1a1a\" stroke-width=\"0.6\"/><text x=\"").append(f(cx))
                .append("\" y=\"").append(f(cy + 3.5)).append("\" text-anchor=\"middle\" font-size=\"10\">")
                .append(number).append("</text>");
    }

    private void moverBars(List<Change> changes) {
        int width = 900;
        int labelWidth = 230;
        int valueWidth = 230;
        int row = 30;
        int height = changes.size() * row + 20;
        double plotWidth = width - labelWidth - valueWidth - 20;
        double zero = labelWidth + plotWidth / 2;
        BigDecimal maxAbs = changes.stream().map(c -> c.delta().abs()).reduce(Money.ZERO, BigDecimal::max);
        double scale = maxAbs.signum() == 0 ? 0 : plotWidth / 2 / maxAbs.doubleValue();
        html.append("<svg id=\"movers-chart\" role=\"img\" aria-labelledby=\"movers-chart-title\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\">\n<title id=\"movers-chart-title\">Change of the product areas that moved "
                        + "most</title>\n<defs><pattern id=\"mover-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
                        + "height=\"6\"><rect width=\"6\" height=\"6\" fill=\"").append(DOWN_COLOUR)
                .append("\"/><path d=\"M0,6 L6,0 M-1.5,1.5 L1.5,-1.5 M4.5,7.5 L7.5,4.5\" stroke=\"#ffffff\" "
                        + "stroke-width=\"1.4\"/></pattern></defs>\n");
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            double y = 10 + i * row;
            double w = c.delta().abs().doubleValue() * scale;
            boolean up = c.delta().signum() > 0;
            html.append("<g data-mover-bar=\"").append(esc(c.subject().id())).append("\"><text x=\"")
                    .append(labelWidth - 8).append("\" y=\"").append(f(y + 15)).append("\" text-anchor=\"end\">")
                    .append(esc(truncate(c.subject().label(), 30))).append("</text><rect x=\"")
                    .append(f(up ? zero : zero - w)).append("\" y=\"").append(f(y + 3)).append("\" width=\"")
                    .append(f(Math.max(w, 1))).append("\" height=\"18\" fill=\"")
                    .append(up ? UP_COLOUR : "url(#mover-hatch)").append("\"><title>")
                    .append(esc(c.subject().label())).append(": ").append(signedMoney(c.delta()))
                    .append("</title></rect><text x=\"").append(width - valueWidth + 6).append("\" y=\"")
                    .append(f(y + 15)).append("\">").append(arrow(c)).append(signedMoney(c.delta()))
                    .append(c.relative().map(r -> " (" + percent(r, true) + ")").orElse(" (new)"))
                    .append("</text></g>\n");
        }
        html.append("<line x1=\"").append(f(zero)).append("\" x2=\"").append(f(zero)).append("\" y1=\"4\" y2=\"")
                .append(height - 4).append("\" stroke=\"#1a1a1a\"/>\n</svg>\n");
    }

    private void forecastBar(MonthEndForecast.Forecast f, Optional<BigDecimal> last) {
        int width = 900;
        int left = 20;
        int height = 96;
        double plotWidth = width - 2 * left;
        BigDecimal max = f.total().max(f.soFar()).max(last.orElse(Money.ZERO));
        double scale = max.signum() <= 0 ? 0 : plotWidth / max.doubleValue();
        double soFar = Math.max(0, f.soFar().doubleValue() * scale);
        double projected = Math.max(0, f.total().doubleValue() * scale);
        html.append("<svg id=\"forecast-chart\" role=\"img\" aria-labelledby=\"forecast-chart-title\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\">\n<title id=\"forecast-chart-title\">Cost so far and projected month-end "
                        + "cost</title>\n<defs><pattern id=\"forecast-hatch\" patternUnits=\"userSpaceOnUse\" "
                        + "width=\"8\" height=\"8\"><rect width=\"8\" height=\"8\" fill=\"#cfe3f3\"/><path "
                        + "d=\"M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6\" stroke=\"#0072B2\" stroke-width=\"1.6\"/>"
                        + "</pattern></defs>\n");
        html.append("<rect x=\"").append(left).append("\" y=\"26\" width=\"").append(f(Math.max(projected, soFar)))
                .append("\" height=\"30\" fill=\"url(#forecast-hatch)\" stroke=\"#0072B2\"/>")
                .append("<rect x=\"").append(left).append("\" y=\"26\" width=\"").append(f(soFar))
                .append("\" height=\"30\" fill=\"#0072B2\"/>\n");
        html.append("<text x=\"").append(left).append("\" y=\"18\">so far ").append(money(f.soFar())).append(" (")
                .append(f.completeDays()).append(" complete days)</text>");
        html.append("<text x=\"").append(f(left + projected)).append("\" y=\"76\" text-anchor=\"end\" "
                + "font-weight=\"600\">projected ").append(money(f.total())).append("</text>\n");
        last.ifPresent(l -> {
            double x = left + Math.max(0, l.doubleValue() * scale);
            html.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"20\" y2=\"62\" "
                    + "stroke=\"#1a1a1a\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"").append(f(x))
                    .append("\" y=\"92\" text-anchor=\"").append(x > width / 2.0 ? "end" : "start")
                    .append("\">last month ").append(money(l)).append("</text>\n");
        });
        html.append("</svg>\n");
    }

    // ---------------------------------------------------------------------------------------------------- formats

    /** Text and attribute values from the data, escaped for HTML (and SVG inside it). */
    public static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Money to the cent, half-even, with thousands separators: {@code $1,234.57}, {@code -$0.50}. */
    public static String money(BigDecimal amount) {
        BigDecimal cents = amount.setScale(2, RoundingMode.HALF_EVEN);
        return (cents.signum() < 0 ? "-$" : "$") + String.format(Locale.ROOT, "%,.2f", cents.abs());
    }

    /** A change of money, with its sign: {@code +$12.00}, {@code -$3.10}, {@code $0.00}. */
    public static String signedMoney(BigDecimal amount) {
        return (amount.setScale(2, RoundingMode.HALF_EVEN).signum() > 0 ? "+" : "") + money(amount);
    }

    /** A fraction as a percentage to two places: 0.1234 is {@code 12.34%} ({@code +12.34%} signed). */
    public static String percent(BigDecimal fraction, boolean signed) {
        BigDecimal p = fraction.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN);
        return (signed && p.signum() > 0 ? "+" : "") + p.toPlainString() + "%";
    }

    private static String grouped(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        return v.scale() <= 0 ? String.format(Locale.ROOT, "%,d", v.toBigInteger())
                : String.format(Locale.ROOT, "%,." + v.scale() + "f", v);
    }

    private static String axisMoney(double value) {
        if (value >= 1_000_000) {
            return "$" + trim(value / 1_000_000) + "M";
        }
        if (value >= 1_000) {
            return "$" + trim(value / 1_000) + "k";
        }
        return "$" + trim(value);
    }

    private static String trim(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= rough) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String status(MonthRollup month) {
        return month.isFinal() ? "final" : "estimated";
    }

    private static String direction(Change c) {
        return c.direction().map(d -> d == Change.Direction.UP ? "up" : "down").orElse("");
    }

    private static String arrow(Change c) {
        return arrow(c.delta().signum());
    }

    private static String arrow(int sign) {
        return sign > 0 ? "▲ " : sign < 0 ? "▼ " : "";
    }

    private static String timestamp(java.time.Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String join(List<String> parts) {
        return String.join(", ", parts);
    }
}
