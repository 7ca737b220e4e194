package com.preaudit.interop;

/**
 * A disposition reported through an interoperability channel (CDS Hooks feedback, NHSA 3103), already
 * translated to the native vocabulary: MODIFIED, OVERRIDDEN or SELF_PAY.
 */
public record FeedbackItem(String findingId, String disposition, String reason, String by) { }
