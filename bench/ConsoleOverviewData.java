// Fills a PreAudit database with 30 days of audits, findings and dispositions for the console's
// 总览 benchmark (bench/console-overview.sh). Run as a single-file program with the PostgreSQL driver:
//   java -cp postgresql.jar bench/ConsoleOverviewData.java <jdbc-url> <audits-per-day>
// TODAY=full in the environment makes today a whole day's volume. With the daily rollup (V75) the backfill marks its
// days stale and the program waits until the service has rolled the 29 closed days up.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

public class ConsoleOverviewData {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int perDay = Integer.parseInt(args[1]);
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            long t0 = System.nanoTime();
            // one row per audit, spread over the last 30 days; 1 in 6 blocked, 1 in 6 warned
            s.execute("INSERT INTO audit_record(audit_id, request_id, created_at, stage, scenario, catalog_version, decision, patient_id, "
                    + "department_code, doctor_id, elapsed_micros, degraded, request_digest, request, response) "
                    + "SELECT gen_random_uuid(), 'BENCH-' || g, now() - random() * interval '29 days', 'PRE_ORDER', 'OUTPATIENT', 1, "
                    + "(ARRAY['PASS','PASS','PASS','PASS','WARN','BLOCK'])[1 + floor(random() * 6)::int], 'P' || (g % 50000), "
                    + "'D' || (g % 40), 'DR' || (g % 400), 150, false, 'x', '{}', '{}' FROM generate_series(1, " + (perDay * 30) + ") g");
            if ("full".equals(System.getenv("TODAY"))) {
                // today as a whole day's volume up to now (the worst case for the part computed live), not the
                // fraction of a day that has passed
                s.execute("INSERT INTO audit_record(audit_id, request_id, created_at, stage, scenario, catalog_version, decision, patient_id, "
                        + "department_code, doctor_id, elapsed_micros, degraded, request_digest, request, response) "
                        + "SELECT gen_random_uuid(), 'BENCH-T' || g, now() - random() * (now() - date_trunc('day', now())), 'PRE_ORDER', "
                        + "'OUTPATIENT', 1, (ARRAY['PASS','PASS','PASS','PASS','WARN','BLOCK'])[1 + floor(random() * 6)::int], 'P' || (g % 50000), "
                        + "'D' || (g % 40), 'DR' || (g % 400), 150, false, 'x', '{}', '{}' "
                        + "FROM generate_series(1, greatest(0, " + perDay + " - (SELECT count(*) FROM audit_record "
                        + "WHERE created_at >= date_trunc('day', now())))) g");
            }
            s.execute("INSERT INTO audit_finding(finding_id, audit_id, created_at, stage, rule_code, rule_name, action, result_type, "
                    + "department_code, doctor_id, item_codes, amount_at_risk) "
                    + "SELECT gen_random_uuid(), audit_id, created_at, stage, 'R' || floor(random() * 34)::int, '规则', "
                    + "CASE decision WHEN 'BLOCK' THEN 'BLOCK' ELSE 'WARN' END, 'VIOLATION', department_code, doctor_id, "
                    + "ARRAY['X' || floor(random() * 1000)::int], round((random() * 500)::numeric, 2) "
                    + "FROM audit_record WHERE decision <> 'PASS' AND request_id LIKE 'BENCH-%'");
            s.execute("INSERT INTO disposition(finding_id, audit_id, disposition, reason, by_user, created_at) "
                    + "SELECT finding_id, audit_id, (ARRAY['MODIFIED','OVERRIDDEN','SELF_PAY'])[1 + floor(random() * 3)::int], 'bench', 'ys', "
                    + "created_at + interval '1 minute' FROM audit_finding WHERE random() < 0.3");
            // a backfill of past days tells the statistics' daily rollup (V75) that its days changed
            boolean rollup = false;
            try (var rs = s.executeQuery("SELECT to_regclass('stats_stale') IS NOT NULL")) {
                rs.next();
                rollup = rs.getBoolean(1);
            }
            if (rollup) {
                s.execute("INSERT INTO stats_stale (at_from, at_to) SELECT min(created_at), max(created_at) FROM audit_record "
                        + "WHERE request_id LIKE 'BENCH-%'");
            }
            s.execute("ANALYZE audit_record");
            s.execute("ANALYZE audit_finding");
            s.execute("ANALYZE disposition");
            try (var rs = s.executeQuery("SELECT count(*) FILTER (WHERE created_at >= date_trunc('day', now())), count(*) FROM audit_record")) {
                rs.next();
                System.out.printf("inserted %d audits (%d of them today) in %d ms%n", rs.getLong(2), rs.getLong(1), (System.nanoTime() - t0) / 1_000_000);
            }
            if (rollup) {
                // the steady state: every closed day of the 30 rolled up (the service is started with a short rollup-check)
                long t1 = System.nanoTime();
                long rolled = 0;
                while (System.nanoTime() - t1 < 600_000_000_000L) {
                    try (var rs = s.executeQuery("SELECT count(*) FROM stats_rollup r WHERE r.day >= current_date - 29 AND r.day < current_date "
                            + "AND NOT EXISTS (SELECT 1 FROM stats_stale x WHERE x.at_from < r.day_end AND x.at_to >= r.day_start "
                            + "AND NOT pg_visible_in_snapshot(x.txid, r.snap))")) {
                        rs.next();
                        rolled = rs.getLong(1);
                    }
                    if (rolled >= 29) {
                        break;
                    }
                    Thread.sleep(500);
                }
                System.out.printf("%d closed days rolled up, %d ms after the data was in%n", rolled, (System.nanoTime() - t1) / 1_000_000);
            }
        }
    }
}
