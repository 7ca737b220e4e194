package com.preaudit.engine.model;

/** What a finding asks of the user; ordinal order is severity. */
public enum Action { INFO, WARN, BLOCK }
