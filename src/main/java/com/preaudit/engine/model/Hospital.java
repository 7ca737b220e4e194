package com.preaudit.engine.model;

/** The hospital sending the request; {@code level} is 1, 2 or 3 (一级/二级/三级). */
public record Hospital(String id, Integer level) {}
