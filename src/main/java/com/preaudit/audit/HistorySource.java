package com.preaudit.audit;

import com.preaudit.engine.model.Line;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Stored history of a patient for an audit. Until the charge store exists this holds nothing and is
 * always available; the history issue replaces it with the indexed charge lookups.
 */
@ApplicationScoped
public class HistorySource {

    public record Result(List<Line> lines, boolean available) { }

    public Result lookup(AuditRequest request) {
        return new Result(List.of(), true);
    }
}
