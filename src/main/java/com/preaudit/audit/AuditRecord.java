package com.preaudit.audit;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What is stored of one audit; serialised to JSON by the writer thread, not by the request thread.
 * {@code requestJson}/{@code responseJson} are the bytes as received and as sent when the native
 * endpoint had them (null for audits made through the interop adapters). {@code outcome} completes
 * with the record as answered: this one once its batch has committed (or at once with
 * {@code preaudit.audit.ack=queued}), or its {@link #unrecorded} copy when the database did not take it.
 * {@code clientSubject}: the subject of the credential that asked for the audit (PRODUCT.md §10), beside
 * the doctorId the HIS sent.
 */
public record AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response,
                          byte[] requestJson, byte[] responseJson, CompletableFuture<AuditRecord> outcome,
                          String clientSubject, List<AuditResponse.FindingDto> shadowFindings) {

    public AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response,
                       byte[] requestJson, byte[] responseJson, CompletableFuture<AuditRecord> outcome, String clientSubject) {
        this(auditId, createdAt, request, response, requestJson, responseJson, outcome, clientSubject, List.of());
    }

    public AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response,
                       byte[] requestJson, byte[] responseJson, String clientSubject) {
        this(auditId, createdAt, request, response, requestJson, responseJson, new CompletableFuture<>(), clientSubject);
    }

    /** With the findings of SHADOW rules (试运行): stored in audit_finding with shadow = true, never in the answer. */
    public AuditRecord withShadow(List<AuditResponse.FindingDto> shadow) {
        return shadow.isEmpty() ? this : new AuditRecord(auditId, createdAt, request, response, requestJson, responseJson, outcome,
                clientSubject, shadow);
    }

    public AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response) {
        this(auditId, createdAt, request, response, null, null, (String) null);
    }

    public AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response,
                       byte[] requestJson, byte[] responseJson) {
        this(auditId, createdAt, request, response, requestJson, responseJson, (String) null);
    }

    /**
     * The same audit answered before its record reached the database ({@code degraded: true, recorded: false}); it
     * is stored as answered when the database returns. Shares the outcome, which it completes.
     */
    AuditRecord unrecorded(byte[] json) {
        return new AuditRecord(auditId, createdAt, request, response.unrecorded(), requestJson, json, outcome, clientSubject,
                shadowFindings);
    }
}
