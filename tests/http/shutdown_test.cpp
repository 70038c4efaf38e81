// Graceful shutdown with a bare Server and a slow route: what is in flight finishes.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "client.h"

namespace pbgdpl::http {
namespace {

using Clock = std::chrono::steady_clock;
using testing::Conn;

long ms_since(Clock::time_point t) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

class Shutdown : public ::testing::Test {
 protected:
  void SetUp() override {
    router.get("/cham", [this](Request&) {
      entered.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(700));
      return Response::text(std::string(300000, 'z'));
    });
    router.post("/vong", [](Request& r) { return Response::text("nhận " + r.body); });
    router.get("/nhanh", [](Request&) { return Response::text("ok"); });
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    o.read_timeout_s = 5;
    o.shutdown_grace_s = 10;
    server = std::make_unique<Server>(o, router);
    ASSERT_TRUE(server->bind().ok());
    port = server->port();
    runner = std::thread([this] { server->run(); });
  }
  void TearDown() override {
    server->stop();
    if (runner.joinable()) runner.join();
  }
  /// stop() + waiting for run() to return, in ms.
  long stop_and_join() {
    auto t0 = Clock::now();
    server->stop();
    runner.join();
    return ms_since(t0);
  }

  Router router;
  std::unique_ptr<Server> server;
  std::thread runner;
  uint16_t port = 0;
  std::promise<void> entered;
};

TEST_F(Shutdown, InFlightRequestGetsItsFullResponse) {
  Conn c(port);
  ASSERT_TRUE(c.send_all("GET /cham HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  std::promise<long> stopped;
  std::thread stopper([&] { stopped.set_value(stop_and_join()); });
  auto r = c.read_response(5000);
  stopper.join();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), 300000u);
  EXPECT_EQ(r.body, std::string(300000, 'z'));
  EXPECT_EQ(r.header("connection"), "close") << "the client learns not to reuse the connection";
  EXPECT_TRUE(c.closed_by_peer(1000));
  long ms = stopped.get_future().get();
  EXPECT_LT(ms, 3000) << "done when the request is done, not after the 10 s grace";
  EXPECT_TRUE(testing::refuses(port));
}

TEST_F(Shutdown, BodyBeingUploadedIsStillServed) {
  Conn c(port);
  ASSERT_TRUE(c.send_all("POST /vong HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server is reading the body
  std::thread stopper([&] { (void)stop_and_join(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(c.send_all("56789"));
  auto r = c.read_response(5000);
  stopper.join();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "nhận 0123456789");
}

TEST_F(Shutdown, IdleConnectionsCloseAndStopIsPrompt) {
  Conn a(port), b(port);
  ASSERT_TRUE(a.send_all("GET /nhanh HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(a.read_response().status, 200);
  ASSERT_TRUE(b.connected());
  long ms = stop_and_join();
  EXPECT_LT(ms, 1500);
  EXPECT_TRUE(a.closed_by_peer(1000));
  EXPECT_TRUE(b.closed_by_peer(1000));
  EXPECT_TRUE(testing::refuses(port));
}

TEST_F(Shutdown, StopTwiceAndWithNoConnectionsIsHarmless) {
  server->stop();
  long ms = stop_and_join();
  EXPECT_LT(ms, 1000);
  EXPECT_TRUE(testing::refuses(port));
}

}  // namespace
}  // namespace pbgdpl::http
