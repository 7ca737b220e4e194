package com.preaudit.audit;

import java.time.OffsetDateTime;

/**
 * What is stored of one audit; serialised to JSON by the writer thread, not by the request thread.
 * {@code requestJson}/{@code responseJson} are the bytes as received and as sent when the native
 * endpoint had them (null for audits made through the interop adapters). {@code clientSubject}: the subject of the
 * credential that asked for the audit (PRODUCT.md §10), beside the doctorId the HIS sent.
 */
public record AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response,
                          byte[] requestJson, byte[] responseJson, String clientSubject) {

    public AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response) {
        this(auditId, createdAt, request, response, null, null, null);
    }

    public AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response,
                       byte[] requestJson, byte[] responseJson) {
        this(auditId, createdAt, request, response, requestJson, responseJson, null);
    }
}
