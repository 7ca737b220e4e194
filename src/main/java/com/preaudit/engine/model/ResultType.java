package com.preaudit.engine.model;

/** 明确违规 or 可疑. */
public enum ResultType { VIOLATION, SUSPICIOUS }
