package io.hulftark.fleet.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.agent.api.ProblemException;
import io.hulftark.fleet.EventFeed;
import io.hulftark.fleet.FleetService;
import io.hulftark.fleet.view.FleetEvent;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * {@code GET /api/v1/fleet/stream}: every new event as a Server-Sent Event, {@code id} its event id and
 * {@code data} the FleetEvent as JSON. A client that reconnects with {@code Last-Event-ID} (or {@code ?afterId=})
 * first gets what it missed, up to 1,000 events; a {@code ping} event every 15 s keeps idle streams open.
 */
@Path("/api/v1/fleet/stream")
@Tag(name = "fleet")
@SecurityRequirement(name = "bearer")
public class FleetStream {

    private final FleetService fleet;
    private final ObjectMapper json;

    public FleetStream(FleetService fleet, ObjectMapper json) {
        this.fleet = fleet;
        this.json = json;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events of every change (state changes, transitions, actions, acknowledgements, windows)")
    public void stream(@Context SseEventSink sink, @Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId,
                       @QueryParam("afterId") Long afterId) {
        long after = resumeFrom(lastEventId, afterId);
        EventFeed feed = fleet.feed();
        Subscriber subscriber = new Subscriber(sink, sse);
        // Subscribe first, then replay: an event in between arrives twice rather than never; the client
        // knows each by its id.
        feed.subscribe(subscriber);
        if (after >= 0) {
            feed.replay(after, Optional.empty(), subscriber::deliver);
        }
        subscriber.ping();
    }

    private static long resumeFrom(String lastEventId, Long afterId) {
        String value = lastEventId != null && !lastEventId.isBlank() ? lastEventId.strip()
                : afterId != null ? afterId.toString() : null;
        if (value == null) {
            return -1;
        }
        try {
            long id = Long.parseLong(value);
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("Last-Event-ID and afterId must be an event id (0 or more)");
        }
    }

    private final class Subscriber implements EventFeed.Subscriber {
        private final SseEventSink sink;
        private final Sse sse;

        Subscriber(SseEventSink sink, Sse sse) {
            this.sink = sink;
            this.sse = sse;
        }

        @Override
        public boolean deliver(FleetEvent event) {
            String data;
            try {
                data = json.writeValueAsString(event);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            return send(sse.newEventBuilder().id(Long.toString(event.id())).data(data).build());
        }

        @Override
        public boolean ping() {
            return send(sse.newEventBuilder().name("ping").data("{}").build());
        }

        private synchronized boolean send(OutboundSseEvent event) {
            if (sink.isClosed()) {
                return false;
            }
            sink.send(event).exceptionally(e -> {
                sink.close();
                return null;
            });
            return true;
        }
    }
}
