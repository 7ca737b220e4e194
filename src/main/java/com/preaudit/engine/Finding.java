package com.preaudit.engine;

import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.ResultType;
import java.math.BigDecimal;
import java.util.List;

/** One rule broken by zero (order/diagnosis level) or more request lines. */
public record Finding(String ruleCode, String ruleName, ResultType resultType, Action action, List<String> lineIds,
                      List<String> itemCodes, String message, BigDecimal amountAtRisk, String knowledgePointId,
                      String basis) {}
