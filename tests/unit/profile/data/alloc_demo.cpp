#include <cstdlib>
#include <cstring>
#include <vector>
static volatile long sink;
__attribute__((noinline)) void* leaf(std::size_t n){ void* p = std::malloc(n); std::memset(p,1,n); return p;}
__attribute__((noinline)) long work(int n){ volatile long s=0; for(int i=0;i<n;i++) s = s + i*i%7; return s;}
__attribute__((noinline)) void middle(int k){ for(int i=0;i<k;i++){ sink += work(100000); void* p = leaf(1000+i); if(i%3) std::free(p);} }
int main(){ middle(300); return 0; }
