package com.preaudit.engine.model;

/** What probes a rule's knowledge-set index. */
public enum MatchOn { ITEM, DIAGNOSIS }
