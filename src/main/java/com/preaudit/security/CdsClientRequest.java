package com.preaudit.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

import java.util.List;

/** A CDS Client's JWT on a CDS Hooks call, with the audiences the called URL accepts. */
final class CdsClientRequest extends BaseAuthenticationRequest {

    private final String jwt;
    private final List<String> audiences;

    CdsClientRequest(String jwt, List<String> audiences) {
        this.jwt = jwt;
        this.audiences = audiences;
    }

    String jwt() {
        return jwt;
    }

    List<String> audiences() {
        return audiences;
    }
}
