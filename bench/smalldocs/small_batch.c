#include <streamdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
/* Small documents written in one batch: file size after close and warm random reads.
 *   gcc -O2 -o /tmp/small_batch bench/smalldocs/small_batch.c -Iartifacts/include -Lartifacts/lib -lstreamdb
 *   LD_LIBRARY_PATH=artifacts/lib /tmp/small_batch /tmp/small.sdb 100000 100      (FILE DOCS BYTES)
 * The file is removed and rewritten. */
int main(int c,char**v){ if(c<4){fprintf(stderr,"usage: %s FILE DOCS BYTES (BYTES <= 8192)\n",v[0]);return 2;} int N=atoi(v[2]), size=atoi(v[3]); if(N<1||size<0||size>8192){fprintf(stderr,"DOCS >= 1, 0 <= BYTES <= 8192\n");return 2;} const char*f=v[1]; remove(f);
  streamdb *db; streamdb_options o; streamdb_options_init(&o);
  if(streamdb_open(f,&o,&db)<0){printf("%s\n",streamdb_errmsg());return 1;}
  unsigned char data[8192]; for(int i=0;i<size;i++) data[i]=(unsigned char)(i*31+7);
  streamdb_batch *b; char p[32]; double t0=now(); streamdb_batch_begin(db,&b);
  for(int i=0;i<N;i++){int n=snprintf(p,32,"/t/%07d",i); data[0]=(unsigned char)i; streamdb_batch_write(b,p,n,data,size);}
  if(streamdb_batch_commit(b)<0){printf("%s\n",streamdb_errmsg());return 1;} double tl=now()-t0;
  streamdb_close(db); struct stat st; stat(f,&st);
  streamdb_open(f,&o,&db); unsigned s=1; unsigned char buf[8192]; size_t got;
  for(int k=0;k<N;k++){s=s*1103515245+12345;int i=(s>>8)%N;int n=snprintf(p,32,"/t/%07d",i);streamdb_read_into(db,p,n,0,buf,sizeof buf,&got);}
  t0=now(); for(int k=0;k<N;k++){s=s*1103515245+12345;int i=(s>>8)%N;int n=snprintf(p,32,"/t/%07d",i);
    if(streamdb_read_into(db,p,n,0,buf,sizeof buf,&got)<0||got!=(size_t)size){printf("read: %s\n",streamdb_errmsg());return 1;}}
  double tr=now()-t0;
  printf("%d docs of %d B: load %.2f s, file %.1f MB (%.2fx the bytes), %.0f random reads/s\n",N,size,tl,st.st_size/1e6,(double)st.st_size/((double)N*size),N/tr);
  streamdb_close(db); return 0;}
