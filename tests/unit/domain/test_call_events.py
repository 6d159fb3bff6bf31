"""call_event: one event per settled call, the same for every sink, with redaction decided once."""

from __future__ import annotations

from switchboard.domain.call_events import LoggingPolicy, call_event
from switchboard.domain.chat import RouteInfo
from switchboard.domain.errors import (
    AllDeploymentsFailed,
    Attempt,
    BadRequest,
    ClientAborted,
    InternalError,
    ProviderUnavailable,
    RateLimited,
)
from switchboard.domain.principal import ANONYMOUS
from tests.fakes.observability import chat_request, outcome

END = 1_700_000_010.0


def test_a_success_carries_route_usage_cost_and_the_exchange() -> None:
    event = call_event(outcome(latency=2.0), END)
    assert (event.status, event.model_group, event.deployment_id, event.provider) == (
        "success",
        "gpt",
        "dep-1",
        "openai",
    )
    assert (event.prompt_tokens, event.completion_tokens, event.total_tokens) == (12, 1, 13)
    assert event.cost == 0.0012
    assert (event.start_time, event.end_time, event.latency) == (END - 2.0, END, 2.0)
    assert event.input == [{"role": "user", "content": "What is 2+2?"}]
    assert event.output == [{"role": "assistant", "content": "4"}]
    assert event.response_model == "gpt-4o-mini-2024-07-18"
    assert event.finish_reasons == ("stop",)
    assert event.params == {"temperature": 0.2}


def test_the_principal_gives_key_hash_and_alias() -> None:
    event = call_event(outcome(), END)
    assert (event.key_hash, event.key_alias) == ("abc123", "ci-key")


def test_an_anonymous_caller_has_no_key_hash() -> None:
    assert call_event(outcome(principal=ANONYMOUS), END).key_hash is None


def test_an_upstream_failure_is_an_error_of_upstream_origin_with_its_class() -> None:
    error = ProviderUnavailable("openai is down", provider="openai", deployment="dep-9", code="upstream_error")
    event = call_event(outcome(error=error), END)
    assert (event.status, event.error_class, event.error_code, event.error_origin) == (
        "error",
        "ProviderUnavailable",
        "upstream_error",
        "upstream",
    )
    assert (event.deployment_id, event.provider) == ("dep-9", "openai")
    assert event.failed


def test_error_origins_follow_the_error_tree() -> None:
    origins = {
        type(e).__name__: call_event(outcome(error=e), END).error_origin
        for e in (
            BadRequest("bad"),
            RateLimited("slow down"),
            AllDeploymentsFailed([Attempt("d1", "openai", ProviderUnavailable("down"))]),
            InternalError("bug"),
        )
    }
    assert origins == {
        "BadRequest": "caller",
        "RateLimited": "limit",
        "AllDeploymentsFailed": "upstream",
        "InternalError": "gateway",
    }


def test_a_caller_who_went_away_is_cancelled_not_an_error() -> None:
    event = call_event(outcome(error=InternalError("gone", code="cancelled")), END)
    assert event.status == "cancelled"


def test_a_call_whose_client_disconnected_is_client_aborted_and_no_failure() -> None:
    event = call_event(outcome(error=ClientAborted()), END)
    assert (event.status, event.failed, event.error_code) == ("client_aborted", False, "client_aborted")


def test_a_stream_left_before_its_end_is_incomplete() -> None:
    event = call_event(outcome(stream=True, completed=False), END)
    assert (event.status, event.failed) == ("incomplete", False)


def test_a_streams_answer_is_the_streamed_text() -> None:
    event = call_event(outcome(stream=True, completion_text="fo ur"), END)
    assert event.output == [{"role": "assistant", "content": "fo ur"}]


def test_turning_off_message_logging_withholds_prompt_and_answer() -> None:
    event = call_event(outcome(), END, LoggingPolicy(log_messages=False))
    assert (event.input, event.output, event.redacted) == (None, None, True)
    assert event.prompt_tokens == 12


def test_redacting_key_info_withholds_key_user_team_and_org() -> None:
    event = call_event(outcome(), END, LoggingPolicy(log_key_info=False))
    assert (event.key_hash, event.key_alias, event.user_id, event.team_id, event.org_id) == (None,) * 5
    assert event.input is not None


def test_a_request_asking_no_log_has_prompt_and_answer_withheld() -> None:
    request = chat_request(metadata={"no-log": True, "session_id": "s-1"})
    event = call_event(outcome(request=request), END)
    assert (event.input, event.output, event.redacted) == (None, None, True)
    assert event.metadata == {"session_id": "s-1"}


def test_no_log_as_a_string_counts_too() -> None:
    request = chat_request(metadata={"no_log": "true"})
    assert call_event(outcome(request=request), END).redacted


def test_metadata_tags_join_the_contexts_tags() -> None:
    request = chat_request(metadata={"tags": ["batch", "eval"]})
    assert call_event(outcome(request=request), END).tags == ("batch", "eval")


def test_cost_and_cache_hit_fall_back_to_the_responses_route() -> None:
    call = outcome(cost=None)
    assert call.response is not None
    call.response.route = RouteInfo(model_group="gpt", cost=0.5, cache_hit=True)
    event = call_event(call, END)
    assert (event.cost, event.cache_hit) == (0.5, True)


def test_the_end_user_is_the_requests_user_field() -> None:
    assert call_event(outcome(request=chat_request(user="user-42")), END).end_user == "user-42"
