%% h. The KV store of chapter 10, as an OTP application: the BEAM twin of
%% bench_otp's kv_app and kv_bucket workloads. The same tree as the kit's:
%% the application's top supervisor (one_for_all) over a bucket supervisor
%% (simple_one_for_one, temporary buckets) and a registry (a gen_server that
%% monitors its buckets); a bucket is a gen_server holding a map (the
%% guide's Agent). The application is loaded from a spec in this file, not
%% from a .app file.
%%   kv_app N: start and stop the application N times, timed separately.
%%   kv_bucket B K: B buckets, then K puts and K gets, each a lookup call
%%   to the registry and a call to the bucket, round robin.
%% Reports wall time and CPU time (erlang:statistics(runtime), all
%% schedulers: ms resolution) per operation.
%% Usage: erl -noinput -pa ebin -run bench_kv main kv_app N
%%        erl -noinput -pa ebin -run bench_kv main kv_bucket B K
-module(bench_kv).
-behaviour(application).
-behaviour(supervisor).
-export([main/1, start/2, stop/1, init/1]).

-define(APP, bench_kv).

main(["kv_app", NStr]) ->
    N = list_to_integer(NStr),
    setup(),
    {TS, CS, TP, CP} = cycles(N, 0, 0, 0, 0),
    report(kv_erl_app_start, [{cycles, N}], N, TS, CS),
    report(kv_erl_app_stop, [{cycles, N}], N, TP, CP),
    erlang:halt(0);
main(["kv_bucket", BStr, KStr]) ->
    B = list_to_integer(BStr),
    K = list_to_integer(KStr),
    setup(),
    ok = application:start(?APP),
    Names = list_to_tuple([list_to_binary("b" ++ integer_to_list(I))
                           || I <- lists:seq(0, B - 1)]),
    [{ok, _} = bench_kv_server:create(element(I, Names)) || I <- lists:seq(1, B)],
    {TP, CP} = timed(fun() -> ops(put, Names, B, K) end),
    {TG, CG} = timed(fun() -> ops(get, Names, B, K) end),
    report(kv_erl_put, [{buckets, B}, {ops, K}], K, TP, CP),
    report(kv_erl_get, [{buckets, B}, {ops, K}], K, TG, CG),
    erlang:halt(0).

setup() ->
    bench_util:quiet_logger(),
    ok = application:load({application, ?APP,
                           [{description, "kv"}, {vsn, "1"}, {modules, []},
                            {registered, []}, {applications, [kernel, stdlib]},
                            {mod, {?MODULE, []}}]}).

cycles(0, TS, CS, TP, CP) -> {TS, CS, TP, CP};
cycles(N, TS, CS, TP, CP) ->
    {T1, C1} = timed(fun() -> ok = application:start(?APP) end),
    {T2, C2} = timed(fun() -> ok = application:stop(?APP) end),
    cycles(N - 1, TS + T1, CS + C1, TP + T2, CP + C2).

ops(_, _, _, 0) -> ok;
ops(Op, Names, B, K) ->
    Bucket = bench_kv_server:lookup(element(K rem B + 1, Names)),
    case Op of
        put -> ok = bench_kv_server:put(Bucket, key, value);
        get -> {ok, value} = bench_kv_server:get(Bucket, key)
    end,
    ops(Op, Names, B, K - 1).

%% Wall and CPU nanoseconds of F().
timed(F) ->
    {C0, _} = erlang:statistics(runtime),
    T0 = bench_util:now_ns(),
    F(),
    T1 = bench_util:now_ns(),
    {C1, _} = erlang:statistics(runtime),
    {T1 - T0, (C1 - C0) * 1000000}.

report(Name, Params, Ops, T, C) ->
    bench_util:report(Name, Params,
                      [{seconds, T / 1.0e9, 6}, {ns_per_op, T / Ops},
                       {cpu_seconds, C / 1.0e9, 6}, {cpu_ns_per_op, C / Ops}]).

%% The application and its two supervisors.
start(normal, []) -> supervisor:start_link({local, kv_sup}, ?MODULE, top).
stop(_) -> ok.

init(top) ->
    {ok, {#{strategy => one_for_all, intensity => 3, period => 5},
          [#{id => buckets, type => supervisor,
             start => {supervisor, start_link,
                       [{local, kv_bucket_sup}, ?MODULE, buckets]}},
           #{id => registry,
             start => {bench_kv_server, start_registry, []}}]}};
init(buckets) ->
    {ok, {#{strategy => simple_one_for_one, intensity => 3, period => 5},
          [#{id => bucket, restart => temporary,
             start => {bench_kv_server, start_bucket, []}}]}}.
