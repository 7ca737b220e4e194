package com.preaudit.audit;

import java.time.OffsetDateTime;

/** What is stored of one audit; serialised to JSON by the writer thread, not by the request thread. */
public record AuditRecord(String auditId, OffsetDateTime createdAt, AuditRequest request, AuditResponse response) { }
