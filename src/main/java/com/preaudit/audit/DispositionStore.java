package com.preaudit.audit;

import com.preaudit.platform.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Dispositions (处理方式) reported per finding; written synchronously and committed before the API answers. */
@ApplicationScoped
public class DispositionStore {

    private final Jdbc db;
    private final AuditRecordWriter writer;
    private final DispositionConfig config;

    @jakarta.inject.Inject
    ClientSubject subjects;

    public DispositionStore(AgroalDataSource ds, AuditRecordWriter writer, DispositionConfig config) {
        this.db = new Jdbc(ds, "the audit store");
        this.writer = writer;
        this.config = config;
    }

    public record Item(UUID findingId, String disposition, String reason, String by) { }

    /** The finding ids of the audit (pending or stored), or empty when there is no such audit. */
    public Optional<Set<String>> findingIds(String auditId) {
        AuditRecord pending = writer.pending(auditId);
        if (pending != null) {
            Set<String> ids = new HashSet<>();
            pending.response().findings().forEach(f -> ids.add(f.id()));
            return Optional.of(ids);
        }
        UUID id = com.preaudit.platform.Ids.parseOrNull(auditId);
        if (id == null) {
            return Optional.empty();
        }
        // a record's findings are stamped with its created_at (one writer batch), so both sides keep to the id's window
        List<String> rows = db.list("SELECT f.finding_id FROM audit_record r LEFT JOIN audit_finding f ON f.audit_id = r.audit_id"
                + AuditPartitions.idWindow("f.created_at") + " WHERE r.audit_id = ?" + AuditPartitions.idWindow("r.created_at"), (c, ps) -> {
                    AuditPartitions.bindIdWindow(ps, 1, id);
                    ps.setObject(3, id);
                    AuditPartitions.bindIdWindow(ps, 4, id);
                }, rs -> rs.getString(1));
        if (rows.isEmpty()) {
            // written between the two checks? the writer removes it from pending only after commit
            return writer.pending(auditId) != null ? findingIds(auditId) : Optional.empty();
        }
        Set<String> ids = new HashSet<>(rows);
        ids.remove(null);   // the record's one row when it has no finding
        return Optional.of(ids);
    }

    /** Stores the items in one statement; returns after the commit. */
    public void store(String auditId, List<Item> items) {
        awaitAuditRecord(auditId);
        UUID audit = UUID.fromString(auditId);
        String[] findings = new String[items.size()];
        String[] kinds = new String[items.size()];
        String[] reasons = new String[items.size()];
        String[] users = new String[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            findings[i] = it.findingId().toString();
            kinds[i] = it.disposition();
            reasons[i] = it.reason();
            users[i] = it.by();
        }
        // one statement (atomic without an explicit transaction, autocommit = committed when it returns)
        db.update("INSERT INTO disposition(finding_id, audit_id, disposition, reason, by_user, client_subject) "
                + "SELECT u.finding_id::uuid, ?, u.disposition, u.reason, u.by_user, ? "
                + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS u(finding_id, disposition, reason, by_user)", (c, ps) -> {
                    ps.setObject(1, audit);
                    ps.setString(2, subjects.current());
                    ps.setArray(3, c.createArrayOf("text", findings));
                    ps.setArray(4, c.createArrayOf("text", kinds));
                    ps.setArray(5, c.createArrayOf("text", reasons));
                    ps.setArray(6, c.createArrayOf("text", users));
                });
    }

    /** Lets a just-answered audit reach the database first, so a disposition never outlives its audit record. */
    private void awaitAuditRecord(String auditId) {
        long deadline = System.nanoTime() + config.pendingAuditWait().toNanos();
        while (writer.pending(auditId) != null && !writer.databaseDown() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
