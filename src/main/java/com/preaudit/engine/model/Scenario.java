package com.preaudit.engine.model;

/** Care scenario (就医方式). */
public enum Scenario { OUTPATIENT, EMERGENCY, INPATIENT, PHARMACY, INTERNET }
