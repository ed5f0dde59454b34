package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The remote procedures the Capgo CLI 8.68.1 calls ({@code POST /rest/v1/rpc/<name>}). Only
 * {@code exist_app_versions} asks about Updraft's data. The others are about Capgo's organisations, plans, trials,
 * credits, 2FA and per-key permissions, which have no meaning here (every admin key may do everything): they get the
 * answer that lets the CLI proceed, listed in docs/protocol.md ("The Capgo CLI"). An unknown name is 404.
 */
@ApplicationScoped
public class CapgoProcedures {
    @Inject
    CapgoTables tables;

    @Inject
    ObjectMapper mapper;

    JsonNode call(String name, String body, String keyName) {
        JsonNode args = parse(body);
        return switch (name) {
            case "exist_app_versions" ->
                BooleanNode.valueOf(tables.versionExists(
                        CapgoUploads.text(args, "appid"), CapgoUploads.text(args, "name_version")));
            // No 2FA here: admin keys are the only credential.
            case "reject_access_due_to_2fa_for_app", "reject_access_due_to_2fa_for_org" -> BooleanNode.FALSE;
            // Every admin key holds every permission; no plans, credits or limits.
            case "cli_check_permission",
                    "is_allowed_action_org_action",
                    "is_allowed_action_org",
                    "is_allowed_capgkey",
                    "has_usage_credits_org",
                    "is_paying_org",
                    "check_min_rights" -> BooleanNode.TRUE;
            case "is_trial_org" -> IntNode.valueOf(0); // days of trial left: none, nothing expires
            case "get_organization_cli_warnings" -> mapper.createArrayNode();
            case "request_actor_user_id", "get_user_id", "get_identity_apikey_only" ->
                TextNode.valueOf(CapgoRows.userId(keyName));
            case "get_orgs_v6", "get_orgs_v7" -> mapper.createArrayNode().add(organisation());
            default -> throw ApiException.notFound("rpc_not_found", "No procedure '" + name + "' on this server");
        };
    }

    /** The one organisation every app belongs to, as an owner who pays and may do everything. */
    private ObjectNode organisation() {
        ObjectNode o = mapper.createObjectNode();
        o.put("gid", CapgoRows.ORG_ID);
        o.put("name", "Updraft");
        o.put("role", "owner");
        o.put("paying", true);
        o.put("trial_left", 0);
        o.put("can_use_more", true);
        o.put("is_canceled", false);
        o.put("is_yearly", false);
        o.putNull("subscription_start");
        o.putNull("subscription_end");
        o.put("management_email", "");
        return o;
    }

    /** PostgREST's answer when a single row was asked for and none (or several) matched. */
    static ObjectNode noRows() {
        ObjectNode n = CapgoRows.object();
        n.put("code", "PGRST116");
        n.put("error", "no_rows");
        n.put("message", "The result contains 0 rows");
        return n;
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (Exception e) {
            throw ApiException.badRequest("invalid_json", "The body is not valid JSON");
        }
    }
}
