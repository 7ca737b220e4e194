package com.preaudit.engine.model;

/** Overall outcome of an audit; ordinal order is severity. */
public enum Decision { PASS, WARN, BLOCK }
