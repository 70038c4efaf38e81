// Separate compilation: Beast's and Asio's out-of-line code is compiled once, here, instead
// of in every translation unit that includes their headers.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
