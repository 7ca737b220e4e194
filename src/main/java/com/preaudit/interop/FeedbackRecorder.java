package com.preaudit.interop;

import java.util.List;

/** Stores interop feedback as dispositions of the audits the findings belong to. */
public interface FeedbackRecorder {

    /** Throws {@link com.preaudit.platform.ApiException} (404/422) for unknown findings; stores nothing then. */
    void record(List<FeedbackItem> items);
}
