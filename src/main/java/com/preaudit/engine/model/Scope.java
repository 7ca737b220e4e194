package com.preaudit.engine.model;

/** How often a rule's expression runs per request. */
public enum Scope { LINE, ORDER }
