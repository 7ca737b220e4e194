package com.preaudit.engine.model;

import java.util.List;

/**
 * One audit request. Request lines belong to the current encounter; a history line belongs to it when its
 * {@code encounterId} is null or equals {@code encounter.id}.
 */
public record AuditInput(String requestId, Stage stage, Scenario scenario, Hospital hospital, Patient patient,
                         Encounter encounter, List<Line> lines, List<Line> history) {}
