package com.preaudit.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.platform.Json;
import com.preaudit.platform.StorageException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JDBC access to the catalog tables. Callers own the transaction ({@code @Transactional}); every
 * method borrows the transaction's connection. Plain JDBC because knowledge rows are written in
 * batches of thousands and read back in bulk to compile a version.
 */
@ApplicationScoped
public class CatalogStore {

    public static final int DRAFT = 0;
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };

    private final AgroalDataSource ds;
    /**
     * Rules as parsed, by their stored JSON: a version copies every unchanged rule's body as it was, and parsing the
     * bodies (with their tests) was most of loading a version, which a node does when another node publishes. Held
     * weakly: a definition lives as long as a compiled version that uses it.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, RuleDefinition> parsedRules =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakValues().build();

    public CatalogStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    public record VersionRow(int version, String note, String author, OffsetDateTime createdAt, Integer basedOn,
                             int ruleCount, int rowCount, String status, String publishedBy, String decidedBy,
                             OffsetDateTime decidedAt, String decisionNote) { }

    public record SetInfo(String name, List<String> columns, int rowCount) { }

    /** {@code activationSeq} orders activations (see {@link #setActive}). */
    public record State(Integer activeVersion, long draftRevision, long activationSeq) { }

    // ---- state and versions ------------------------------------------------------------------

    /** Reads the state row; {@code forUpdate} serialises publishers and activators across nodes. */
    public State state(boolean forUpdate) {
        String sql = "SELECT active_version, draft_revision, activation_seq FROM catalog_state WHERE id = 1" + (forUpdate ? " FOR UPDATE" : "");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            int v = rs.getInt(1);
            return new State(rs.wasNull() ? null : v, rs.getLong(2), rs.getLong(3));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Makes {@code version} active and returns this activation's sequence number, one more than the
     * last publish or activation's: nodes install a version only when its sequence is later than the
     * one they hold, so a slow compile of an older activation cannot overwrite a newer one.
     */
    public long setActive(int version) {
        String sql = "UPDATE catalog_state SET active_version = ?, activated_at = now(), activation_seq = activation_seq + 1 "
                + "WHERE id = 1 RETURNING activation_seq";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public void touchDraft() {
        update("UPDATE catalog_state SET draft_revision = draft_revision + 1 WHERE id = 1");
    }

    public int maxVersion() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT max(version) FROM catalog_version");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The version a published version was based on (null for the first), or empty when there is no such version. */
    public Optional<Integer> basedOn(int version) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT based_on FROM catalog_version WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int b = rs.getInt(1);
                return Optional.of(rs.wasNull() ? 0 : b);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public boolean versionExists(int version) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM catalog_version WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public List<VersionRow> versions() {
        String sql = "SELECT v.version, v.note, v.author, v.created_at, v.based_on, v.rule_count, v.row_count, coalesce(a.status, 'APPROVED'), "
                + "coalesce(v.published_by, a.published_by, v.author), a.decided_by, a.decided_at, a.note "
                + "FROM catalog_version v LEFT JOIN catalog_approval a USING (version) WHERE v.version > 0 ORDER BY v.version";
        List<VersionRow> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int based = rs.getInt(5);
                Integer basedOn = rs.wasNull() ? null : based;
                out.add(new VersionRow(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), basedOn, rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getObject(11, OffsetDateTime.class), rs.getString(12)));
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The subject of the credential that published {@code version} (PRODUCT.md §10), in the caller's transaction. */
    public void setPublishedBy(int version, String subject) {
        update("UPDATE catalog_version SET published_by = ? WHERE version = ?", subject, version);
    }

    /** Freezes the draft as {@code version}: one INSERT … SELECT per table, all in the caller's transaction. */
    public void copyDraftTo(int version, String note, String author, Integer basedOn, int ruleCount, int rowCount) {
        update("INSERT INTO catalog_version(version, note, author, based_on, meta, rule_count, row_count) "
                + "SELECT ?, ?, ?, ?, meta, ?, ? FROM catalog_version WHERE version = 0",
                version, note, author, basedOn, ruleCount, rowCount);
        update("INSERT INTO catalog_rule(version, code, name, tier, body) SELECT ?, code, name, tier, body FROM catalog_rule WHERE version = 0", version);
        update("INSERT INTO knowledge_set(version, name, columns, row_count) SELECT ?, name, columns, row_count FROM knowledge_set WHERE version = 0", version);
        update("INSERT INTO knowledge_row(version, set_name, row_no, kp_id, item_codes, vals) "
                + "SELECT ?, set_name, row_no, kp_id, item_codes, vals FROM knowledge_row WHERE version = 0", version);
    }

    // ---- meta ----------------------------------------------------------------------------------

    public CatalogMeta meta(int version) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT meta FROM catalog_version WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return Json.fromJson(CatalogJson.JSON, rs.getString(1), CatalogMeta.class);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public void setDraftMeta(CatalogMeta meta) {
        update("UPDATE catalog_version SET meta = ?::jsonb WHERE version = 0", CatalogJson.toJson(meta));
    }

    // ---- rules ---------------------------------------------------------------------------------

    public Optional<RuleDefinition> rule(int version, String code) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT body FROM catalog_rule WHERE version = ? AND code = ?")) {
            ps.setInt(1, version);
            ps.setString(2, code);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(CatalogJson.ruleFromJson(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public List<RuleDefinition> rules(int version, String q, String tier) {
        StringBuilder sql = new StringBuilder("SELECT body FROM catalog_rule WHERE version = ?");
        List<Object> args = new ArrayList<>();
        args.add(version);
        if (q != null && !q.isBlank()) {
            sql.append(" AND (code ILIKE ? OR name ILIKE ?)");
            String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            args.add(like);
            args.add(like);
        }
        if (tier != null && !tier.isBlank()) {
            sql.append(" AND tier = ?");
            args.add(tier);
        }
        sql.append(" ORDER BY code");
        List<RuleDefinition> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(parsedRules.get(rs.getString(1), CatalogJson::ruleFromJson));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public void putDraftRule(RuleDefinition rule) {
        update("INSERT INTO catalog_rule(version, code, name, tier, body) VALUES (0, ?, ?, ?, ?::jsonb) "
                + "ON CONFLICT (version, code) DO UPDATE SET name = EXCLUDED.name, tier = EXCLUDED.tier, body = EXCLUDED.body",
                rule.code(), rule.name(), rule.tier() == null ? null : rule.tier().name(), CatalogJson.toJson(rule));
    }

    public boolean deleteDraftRule(String code) {
        return update("DELETE FROM catalog_rule WHERE version = 0 AND code = ?", code) > 0;
    }

    public void deleteDraftRules() {
        update("DELETE FROM catalog_rule WHERE version = 0");
    }

    // ---- knowledge sets ------------------------------------------------------------------------

    public List<SetInfo> sets(int version) {
        List<SetInfo> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, columns, row_count FROM knowledge_set WHERE version = ? ORDER BY name")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SetInfo(rs.getString(1), Json.fromJson(CatalogJson.JSON, rs.getString(2), STRING_LIST), rs.getInt(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public Optional<SetInfo> set(int version, String name) {
        return sets(version).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Replaces one draft knowledge set (rows deleted by cascade, then batch-inserted). */
    public void replaceDraftSet(KnowledgeSet set) {
        deleteDraftSet(set.name());
        update("INSERT INTO knowledge_set(version, name, columns, row_count) VALUES (0, ?, ?::jsonb, ?)",
                set.name(), CatalogJson.toJson(set.columns()), set.rows().size());
        String sql = "INSERT INTO knowledge_row(version, set_name, row_no, kp_id, item_codes, vals) VALUES (0, ?, ?, ?, ?, ?::jsonb)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int no = 0;
            for (KnowledgeRow row : set.rows()) {
                ps.setString(1, set.name());
                ps.setInt(2, no++);
                ps.setString(3, row.kpId());
                Array codes = c.createArrayOf("text", row.itemCodes().toArray());
                ps.setArray(4, codes);
                ps.setString(5, CatalogJson.toJson(row.values()));
                ps.addBatch();
                if (no % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public boolean deleteDraftSet(String name) {
        return update("DELETE FROM knowledge_set WHERE version = 0 AND name = ?", name) > 0;
    }

    public void deleteDraftSets() {
        update("DELETE FROM knowledge_set WHERE version = 0");
    }

    public List<KnowledgeRow> rows(int version, String set, String itemCode, int offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT kp_id, item_codes, vals FROM knowledge_row WHERE version = ? AND set_name = ?");
        List<Object> args = new ArrayList<>(List.of(version, set));
        if (itemCode != null && !itemCode.isBlank()) {
            // exact code, or a stored prefix pattern that covers the code
            sql.append(" AND (item_codes @> ARRAY[?]::text[] OR EXISTS (SELECT 1 FROM unnest(item_codes) p "
                    + "WHERE right(p, 1) = '*' AND ? LIKE replace(replace(replace(left(p, -1), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'))");
            args.add(itemCode);
            args.add(itemCode);
        }
        sql.append(" ORDER BY row_no OFFSET ? LIMIT ?");
        args.add(offset);
        args.add(limit);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args.toArray());
            return readRows(ps);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Loads a whole version for compiling or exporting. */
    public CatalogContent load(int version) {
        CatalogMeta meta = meta(version);
        if (meta == null) {
            return null;
        }
        Map<String, RuleDefinition> rules = new LinkedHashMap<>();
        for (RuleDefinition r : rules(version, null, null)) {
            rules.put(r.code(), r);
        }
        Map<String, KnowledgeSet> sets = new LinkedHashMap<>();
        for (SetInfo info : sets(version)) {
            sets.put(info.name(), new KnowledgeSet(info.name(), info.columns(), new ArrayList<>(info.rowCount())));
        }
        String sql = "SELECT set_name, kp_id, item_codes, vals FROM knowledge_row WHERE version = ? ORDER BY set_name, row_no";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, version);
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KnowledgeSet set = sets.get(rs.getString(1));
                    set.rows().add(row(rs.getString(2), rs.getArray(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        Map<String, KnowledgeSet> frozen = new LinkedHashMap<>();
        sets.forEach((k, v) -> frozen.put(k, new KnowledgeSet(v.name(), List.copyOf(v.columns()), List.copyOf(v.rows()))));
        return new CatalogContent(meta, rules, frozen);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private List<KnowledgeRow> readRows(PreparedStatement ps) throws SQLException {
        List<KnowledgeRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs.getString(1), rs.getArray(2), rs.getString(3)));
            }
        }
        return out;
    }

    private static KnowledgeRow row(String kpId, Array codes, String vals) throws SQLException {
        return new KnowledgeRow(kpId, Arrays.asList((String[]) codes.getArray()), Json.fromJson(CatalogJson.JSON, vals, STRING_MAP));
    }

    private int update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof OffsetDateTime t) {
                ps.setTimestamp(i + 1, Timestamp.from(t.toInstant()));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    /** A database failure: the caller's transaction is rolled back and the client sees 503. */
    static StorageException failed(SQLException cause) {
        return new StorageException("the catalog database", cause);
    }
}
