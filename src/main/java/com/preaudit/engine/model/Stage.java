package com.preaudit.engine.model;

/** Regulatory stage of an audit (监管环节). */
public enum Stage { PRE_ORDER, PRE_CHARGE, PRE_SETTLEMENT }
