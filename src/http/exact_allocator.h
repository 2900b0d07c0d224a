// Memory of exactly an operation's size, for asio operations that stay pending on idle
// connections (asio::bind_allocator(ExactAllocator<void>(), handler)). Asio's default (its
// recycling allocator, also used for std::allocator<void>) hands such an operation whatever cached
// block a busy moment freed, often four times its size, and every idle connection then holds one.
#pragma once

#include <cstddef>
#include <new>

namespace switchyard::http {

template <typename T>
struct ExactAllocator {
  using value_type = T;
  ExactAllocator() noexcept = default;
  template <typename U>
  ExactAllocator(const ExactAllocator<U>&) noexcept {}  // NOLINT: allocators convert implicitly
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p); }
  friend bool operator==(const ExactAllocator&, const ExactAllocator&) noexcept { return true; }
};

}  // namespace switchyard::http
