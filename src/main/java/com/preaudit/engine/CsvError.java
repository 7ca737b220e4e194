package com.preaudit.engine;

/** One error of a knowledge CSV: 1-based physical record number (header = 1), column name (or null), message. */
public record CsvError(int row, String column, String message) {}
