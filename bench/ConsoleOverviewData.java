// Fills a PreAudit database with 30 days of audits, findings and dispositions for the console's
// 总览 benchmark (bench/console-overview.sh). Run as a single-file program with the PostgreSQL driver:
//   java -cp postgresql.jar bench/ConsoleOverviewData.java <jdbc-url> <audits-per-day>
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
            s.execute("INSERT INTO audit_finding(finding_id, audit_id, created_at, stage, rule_code, rule_name, action, result_type, "
                    + "department_code, doctor_id, item_codes, amount_at_risk) "
                    + "SELECT gen_random_uuid(), audit_id, created_at, stage, 'R' || floor(random() * 34)::int, '规则', "
                    + "CASE decision WHEN 'BLOCK' THEN 'BLOCK' ELSE 'WARN' END, 'VIOLATION', department_code, doctor_id, "
                    + "ARRAY['X' || floor(random() * 1000)::int], round((random() * 500)::numeric, 2) "
                    + "FROM audit_record WHERE decision <> 'PASS' AND request_id LIKE 'BENCH-%'");
            s.execute("INSERT INTO disposition(finding_id, audit_id, disposition, reason, by_user, created_at) "
                    + "SELECT finding_id, audit_id, (ARRAY['MODIFIED','OVERRIDDEN','SELF_PAY'])[1 + floor(random() * 3)::int], 'bench', 'ys', "
                    + "created_at + interval '1 minute' FROM audit_finding WHERE random() < 0.3");
            s.execute("ANALYZE audit_record");
            s.execute("ANALYZE audit_finding");
            s.execute("ANALYZE disposition");
            System.out.printf("inserted %d audits over 30 days in %d ms%n", perDay * 30L, (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
