package com.preaudit.bench.drools;

/** A finding of the Drools peer: rule code, line id and the rendered message. */
public record DHit(String ruleCode, String lineId, String message) {}
