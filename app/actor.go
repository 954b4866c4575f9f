package app

import (
	"context"
)

// Actors recorded in the audit log when no account acts.
const (
	// ActorSystem is the program itself (the first administrator).
	ActorSystem = "系统"
	// ActorCommandLine is whoever ran `gridscore user`.
	ActorCommandLine = "命令行"
)

type actorKey struct{}

// WithActor returns a context that names who acts (a username, or
// ActorCommandLine), for the audit log of the calls made with it. The web
// layer sets it to the logged-in user.
func WithActor(ctx context.Context, username string) context.Context {
	return context.WithValue(ctx, actorKey{}, username)
}

// Actor returns who acts in ctx, ActorSystem when nobody was named.
func Actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return ActorSystem
}
