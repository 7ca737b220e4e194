package com.preaudit.engine.model;

/** National rule-framework tier. */
public enum Tier { POLICY, MANAGEMENT, MEDICAL }
