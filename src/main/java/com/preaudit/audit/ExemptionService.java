package com.preaudit.audit;

import com.preaudit.catalog.CatalogRuntime;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.Caller;
import com.preaudit.platform.ChangeLog;
import com.preaudit.platform.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Granting, revoking and listing exemptions (特批/备案, PRODUCT.md §11), for the API and the console alike: the
 * same checks, the same change-log entries, whoever asks.
 */
@ApplicationScoped
public class ExemptionService {

    static final int MAX_TEXT = 2000;
    static final int MAX_CODE = 128;

    /** Which exemptions a list shows, as of a day. */
    public enum State {
        /** every one */
        ALL,
        /** not revoked and valid on the day */
        ACTIVE,
        /** not revoked, valid only from a later day */
        FUTURE,
        /** not revoked, ended before the day */
        EXPIRED,
        /** revoked */
        REVOKED
    }

    /** One page of a list and how many match in all. */
    public record Page(List<Exemption> rows, long total) { }

    private final ChangeLog changeLog;
    private final Caller caller;
    private final CatalogRuntime catalog;

    public ExemptionService(ChangeLog changeLog, Caller caller, CatalogRuntime catalog) {
        this.changeLog = changeLog;
        this.caller = caller;
        this.catalog = catalog;
    }

    /** Checks and stores a grant by the calling subject; 422 naming every invalid field, nothing stored. */
    @Transactional
    public Exemption grant(ExemptionResource.ExemptionRequest body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null) {
            throw ApiException.unprocessable("the exemption is invalid", List.of(new FieldError("/", "a JSON object is required")));
        }
        String patientId = required(errors, "/patientId", body.patientId(), MAX_CODE);
        String ruleCode = required(errors, "/ruleCode", body.ruleCode(), MAX_CODE);
        String itemCode = optional(errors, "/itemCode", body.itemCode(), MAX_CODE);
        LocalDate from = date(errors, "/validFrom", body.validFrom());
        LocalDate to = date(errors, "/validTo", body.validTo());
        String reason = required(errors, "/reason", body.reason(), MAX_TEXT);
        String approvalNo = optional(errors, "/approvalNo", body.approvalNo(), MAX_CODE);
        if (from != null && to != null && to.isBefore(from)) {
            errors.add(new FieldError("/validTo", "must not be before validFrom (" + from + ")"));
        }
        CatalogSnapshot active = catalog.active();
        if (ruleCode != null && active != null && active.rule(ruleCode) == null) {
            errors.add(new FieldError("/ruleCode", "no rule " + ruleCode + " in the active catalog version " + active.version()));
        }
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("the exemption is invalid", errors);
        }
        Exemption e = new Exemption();
        e.id = UUID.fromString(com.preaudit.platform.Ids.newId());
        e.patientId = patientId;
        e.ruleCode = ruleCode;
        e.itemCode = itemCode;
        e.validFrom = from;
        e.validTo = to;
        e.reason = reason;
        e.approvalNo = approvalNo;
        e.grantedBy = caller.subject();
        e.grantedAt = OffsetDateTime.now(ZoneOffset.UTC);
        e.persist();
        // the note names the rule, item and period, not the patient: the change log is read more widely than the exemptions
        changeLog.record("exemption.grant", "exemption/" + e.id, ruleCode + (itemCode == null ? "" : " " + itemCode) + " " + from + ".." + to
                + (approvalNo == null ? "" : " " + approvalNo) + ": " + reason);
        return e;
    }

    /** Revokes by the calling subject; revoking a revoked one changes nothing. 404 for an unknown id. */
    @Transactional
    public Exemption revoke(String id) {
        Exemption e = find(id);
        if (e.revokedAt == null) {
            e.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
            e.revokedBy = caller.subject();
            changeLog.record("exemption.revoke", "exemption/" + e.id, e.ruleCode + (e.itemCode == null ? "" : " " + e.itemCode));
        }
        return e;
    }

    /** 404 for an unknown or malformed id. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Exemption find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw ApiException.notFound("no exemption " + id);
        }
        Exemption e = Exemption.findById(uuid);
        if (e == null) {
            throw ApiException.notFound("no exemption " + id);
        }
        return e;
    }

    /** Newest grant first; {@code patientId} null for every patient; rows {@code offset} to {@code offset + limit}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page list(String patientId, State state, LocalDate today, int offset, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (patientId != null && !patientId.isBlank()) {
            q.append(" and patientId = :patient");
            params.put("patient", patientId.trim());
        }
        switch (state) {
            case ACTIVE -> q.append(" and revokedAt is null and validFrom <= :today and validTo >= :today");
            case FUTURE -> q.append(" and revokedAt is null and validFrom > :today");
            case EXPIRED -> q.append(" and revokedAt is null and validTo < :today");
            case REVOKED -> q.append(" and revokedAt is not null");
            case ALL -> { }
        }
        if (state != State.ALL && state != State.REVOKED) {
            params.put("today", today);
        }
        long total = Exemption.count(q.toString(), params);
        List<Exemption> rows = limit <= 0 ? List.of()
                : Exemption.<Exemption>find(q + " order by grantedAt desc, id", params).range(offset, offset + limit - 1).list();
        return new Page(rows, total);
    }

    private static String required(List<FieldError> errors, String field, String value, int max) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        return optional(errors, field, value, max);
    }

    private static String optional(List<FieldError> errors, String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.length() > max) {
            errors.add(new FieldError(field, "at most " + max + " characters"));
        } else if (v.indexOf('\0') >= 0) {
            errors.add(new FieldError(field, "must not contain U+0000"));
        }
        return v;
    }

    private static LocalDate date(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required (yyyy-MM-dd)"));
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date yyyy-MM-dd, got '" + value + "'"));
            return null;
        }
    }
}
