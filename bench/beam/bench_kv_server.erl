%% The servers of bench_kv: the registry (names -> buckets; monitors every
%% bucket and forgets it on its DOWN) and a bucket (a map).
-module(bench_kv_server).
-behaviour(gen_server).
-export([start_registry/0, start_bucket/0, create/1, lookup/1, put/3, get/2]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_registry() -> gen_server:start_link({local, kv_registry}, ?MODULE, registry, []).
start_bucket() -> gen_server:start_link(?MODULE, bucket, []).

create(Name) -> gen_server:call(kv_registry, {create, Name}).
lookup(Name) -> gen_server:call(kv_registry, {lookup, Name}).
put(B, K, V) -> gen_server:call(B, {put, K, V}).
get(B, K) -> gen_server:call(B, {get, K}).

init(registry) -> {ok, {registry, #{}, #{}}};
init(bucket) -> {ok, {bucket, #{}}}.

handle_call({lookup, Name}, _From, S = {registry, Names, _}) ->
    {reply, maps:get(Name, Names, none), S};
handle_call({create, Name}, _From, S = {registry, Names, Refs}) ->
    case maps:find(Name, Names) of
        {ok, Pid} -> {reply, {ok, Pid}, S};
        error ->
            {ok, Pid} = supervisor:start_child(kv_bucket_sup, []),
            Ref = erlang:monitor(process, Pid),
            {reply, {ok, Pid}, {registry, Names#{Name => Pid}, Refs#{Ref => Name}}}
    end;
handle_call({put, K, V}, _From, {bucket, M}) -> {reply, ok, {bucket, M#{K => V}}};
handle_call({get, K}, _From, S = {bucket, M}) -> {reply, maps:find(K, M), S}.

handle_cast(_, S) -> {noreply, S}.

handle_info({'DOWN', Ref, process, _, _}, {registry, Names, Refs}) ->
    {Name, Refs1} = maps:take(Ref, Refs),
    {noreply, {registry, maps:remove(Name, Names), Refs1}};
handle_info(_, S) -> {noreply, S}.
